package io.kubechat.operator;

/** Entry point of the kubechat operator process. */
public final class OperatorMain {
  private OperatorMain() {}

  public static void main(String[] args) {
    System.out.println("kubechat operator: not implemented yet");
  }
}
