package io.kubechat.pod;

/** Entry point of a chat pod process. */
public final class ChatPodMain {
  private ChatPodMain() {}

  public static void main(String[] args) {
    System.out.println("kubechat chat pod: not implemented yet");
  }
}
