package io.kubechat.pod.raft;

/** Event-bus addresses of the consensus layer. */
public final class RaftAddresses {

  /** Every pod consumes here: discovery requests (published to all pods). */
  public static final String DISCOVERY = "kubechat.raft-discovery";

  /** Header that says what a message on a pod address is (see {@link RaftChatBackend}). */
  public static final String KIND = "k";

  /** Header naming the pod that sent a message (used e.g. by partition tests). */
  public static final String FROM = "from";

  /** Header with the endpoint id a Raft message is meant for. */
  public static final String TO = "to";

  private RaftAddresses() {}

  /** The one address of a pod: Raft messages, forwarded commands, membership requests. */
  public static String pod(String node) {
    return "kubechat.raft." + node;
  }
}
