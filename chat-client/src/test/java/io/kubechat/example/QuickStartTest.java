package io.kubechat.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.client.fake.FakeChatServer;
import io.kubechat.client.fake.FakeCluster;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example of docs/client.md is this module's QuickStart.java, verbatim, and it works. */
class QuickStartTest {
  private static final Path SOURCE = Path.of("src/test/java/io/kubechat/example/QuickStart.java");

  @Test
  void theDocShowsTheExampleAsItIs() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "client.md"));
    assertThat(doc).contains("```java\n" + Files.readString(SOURCE) + "```\n");
  }

  @Test
  void theExampleChatsWithAServer() throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeChatServer server = new FakeChatServer(vertx, new FakeCluster(), "127.0.4.6", "s1").start();
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      QuickStart.main(new String[] {server.uri().toString()});
      QuickStart.main(new String[] {server.uri().toString()});
    } finally {
      System.setOut(original);
      server.stop();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("-- CONNECTED " + server.uri())
        .contains("members of lobby: [alice]")
        .contains("ordered at seq 1")
        .contains("ordered at seq 2")
        // the second run replays the first one's message (since 0) before its own
        .contains("[lobby #1] alice: hello from the library")
        .contains("[lobby #2] alice: hello from the library");
  }
}
