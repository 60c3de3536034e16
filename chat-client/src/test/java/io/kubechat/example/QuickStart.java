package io.kubechat.example;

import io.kubechat.client.Ack;
import io.kubechat.client.ChatClient;
import io.kubechat.client.ChatListener;
import io.kubechat.client.ChatMessage;
import io.kubechat.client.Presence;
import io.kubechat.client.StateChange;
import java.util.concurrent.TimeUnit;

/** Joins lobby, prints its history and what arrives, sends one message and waits for its ack. */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    // Several pods (or one Service address): the client fails over between them by itself.
    String servers = args.length > 0 ? args[0] : "ws://127.0.0.2:8080/ws,ws://127.0.0.3:8080/ws";
    ChatListener printer =
        new ChatListener() {
          @Override
          public void onMessage(ChatMessage m) {
            System.out.println(
                "[" + m.group() + " #" + m.seq() + "] " + m.from() + ": " + m.text());
          }

          @Override
          public void onStateChange(StateChange change) {
            System.out.println("-- " + change.current() + " " + change.endpoint());
          }
        };
    try (ChatClient client =
        ChatClient.builder().endpoints(servers).user("alice").listener(printer).connect()) {
      // since 0: replay the whole history the cluster still has, then live messages
      Presence me = client.join("lobby", 0L).get(10, TimeUnit.SECONDS);
      System.out.println("members of lobby: " + me.members());
      Ack ack = client.send("lobby", "hello from the library").get(10, TimeUnit.SECONDS);
      System.out.println("ordered at seq " + ack.seq());
    }
  }
}
