package io.kubechat.client.cli;

/** Entry point of the kubechat-chat command line client. */
public final class ChatCli {
  private ChatCli() {}

  public static void main(String[] args) {
    System.out.println("kubechat-chat: not implemented yet");
  }
}
