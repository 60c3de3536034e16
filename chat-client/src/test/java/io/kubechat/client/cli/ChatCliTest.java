package io.kubechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubechat.client.fake.FakeChatServer;
import io.kubechat.client.fake.FakeCluster;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI, run in-process against the protocol-faithful test server. */
class ChatCliTest {
  private static Vertx serverVertx;
  private FakeCluster cluster;
  private FakeChatServer server;

  @BeforeAll
  static void startVertx() {
    serverVertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void startServer() throws Exception {
    cluster = new FakeCluster();
    server = new FakeChatServer(serverVertx, cluster, "127.0.4.4", "s1").start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.stop();
  }

  /** One CLI run: exit code and what it printed. */
  record Run(int exit, String out, String err) {}

  private static final class Output {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private Run run(String stdin, String... args) {
    return start(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args).join();
  }

  private CompletableFuture<Run> start(InputStream stdin, String... args) {
    Output out = new Output();
    Output err = new Output();
    return CompletableFuture.supplyAsync(
        () -> {
          int exit =
              ChatCli.run(
                  args, new Streams(stdin, out.stream, err.stream, Map.of("USER", "tester")));
          return new Run(exit, out.text(), err.text());
        });
  }

  private String url() {
    return server.uri().toString();
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args :
        List.of(
            new String[] {"--help"},
            new String[] {"send", "--help"},
            new String[] {"tail", "-h"},
            new String[] {"help", "tail"})) {
      Run run = run("", args);
      assertThat(run.exit()).isZero();
      assertThat(run.out()).contains("Usage: kubechat-chat").contains("--server");
    }
    assertThat(run("", "tail", "--help").out()).contains("--since").contains("--count");
    assertThat(run("", "send", "--help").out()).contains("--timeout");
  }

  @Test
  void aWrongCommandLineExitsWithTwo() {
    assertThat(run("", "--bogus").exit()).isEqualTo(2);
    assertThat(run("", "send", "--server", "http://x:8080/ws", "hi").err()).contains("ws://");
    assertThat(run("", "tail", "--count", "zero").err()).contains("--count needs a number");
    assertThat(run("", "send", "--user", "bad name", "hi").exit()).isEqualTo(2);
    assertThat(run("", "chat", "--since", "3").exit()).isEqualTo(2);
  }

  @Test
  void sendExitsZeroOnceEverythingIsAcknowledgedAndTailPrintsItInOrder() throws Exception {
    Run sent =
        run("", "send", "--server", url(), "--user", "alice", "--group", "ops", "first", "second");
    assertThat(sent.exit()).as(sent.err()).isZero();
    assertThat(sent.err()).contains("acknowledged").contains("at seq 2");
    Run piped = run("third\n\nfourth\n", "send", "-s", url(), "-u", "alice", "-g", "ops");
    assertThat(piped.exit()).as(piped.err()).isZero();
    assertThat(cluster.seqOf("ops")).isEqualTo(4);

    Run tail =
        run(
            "",
            "tail",
            "--server",
            url(),
            "--group",
            "ops",
            "--since",
            "0",
            "--count",
            "4",
            "--timeout",
            "20");
    assertThat(tail.exit()).as(tail.err()).isZero();
    assertThat(tail.out().lines().toList())
        .containsExactly(
            "[ops #1] alice: first",
            "[ops #2] alice: second",
            "[ops #3] alice: third",
            "[ops #4] alice: fourth");

    Run json = run("", "tail", "-s", url(), "-g", "ops", "--since", "3", "--count", "1", "--json");
    assertThat(json.out()).contains("\"seq\":4").contains("\"text\":\"fourth\"");
  }

  @Test
  void tailFollowsLiveMessages() throws Exception {
    CompletableFuture<Run> tail =
        start(
            InputStream.nullInputStream(),
            "tail",
            "-s",
            url(),
            "-g",
            "live",
            "--count",
            "2",
            "--timeout",
            "30");
    await().until(() -> cluster.received("join").size() == 1);
    assertThat(run("", "send", "-s", url(), "-u", "bob", "-g", "live", "one", "two").exit())
        .isZero();
    Run done = tail.get(30, TimeUnit.SECONDS);
    assertThat(done.exit()).isZero();
    assertThat(done.out().lines().toList())
        .containsExactly("[live #1] bob: one", "[live #2] bob: two");
  }

  @Test
  void sendFailsWithAMessageWhenNothingAcknowledgesInTime() throws Exception {
    server.stop();
    Run run = run("", "send", "--server", url(), "--timeout", "1", "hello");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("timed out after 1 s: 1 of 1 messages not acknowledged");
  }

  @Test
  void tailWithSinceExitsOnceTheHistoryIsPrintedEvenWhenItHoldsFewerThanTheCount()
      throws Exception {
    assertThat(run("", "send", "-s", url(), "-u", "alice", "-g", "short", "one", "two").exit())
        .isZero();
    Run tail =
        start(
                InputStream.nullInputStream(),
                "tail",
                "-s",
                url(),
                "-g",
                "short",
                "--since",
                "0",
                "--count",
                "10")
            .get(20, TimeUnit.SECONDS);
    assertThat(tail.exit()).as(tail.err()).isZero();
    assertThat(tail.out().lines().toList())
        .containsExactly("[short #1] alice: one", "[short #2] alice: two");

    Run empty =
        start(
                InputStream.nullInputStream(),
                "tail",
                "-s",
                url(),
                "-g",
                "empty",
                "--since",
                "0",
                "--count",
                "3")
            .get(20, TimeUnit.SECONDS);
    assertThat(empty.exit()).as(empty.err()).isZero();
    assertThat(empty.out()).isEmpty();
  }

  @Test
  void printsItsVersion() {
    Run run = run("", "--version");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).matches("kubechat-chat \\d+\\.\\d+\\.\\d+\\S*\\R");
    assertThat(run("", "send", "-V").out()).isEqualTo(run.out());
    assertThat(run("", "--help").out()).contains("--version").contains("--verbose");
  }

  @Test
  void aServerNeverReachedIsReportedAsSuchWithAHintWhenItIsTheOnlyOne() throws Exception {
    server.stop();
    Run one = run("", "send", "--server", url(), "--timeout", "2", "hello");
    assertThat(one.exit()).isEqualTo(1);
    assertThat(one.err())
        .contains("-- could not connect to " + url() + " (connect failed: ")
        .doesNotContain("disconnected")
        .contains("only one server was given")
        .contains("--server ws://pod-1:8080/ws,ws://pod-2:8080/ws");
    assertThat(one.err().split("only one server was given", -1)).hasSize(2);

    Run two = run("", "send", "--server", url() + ",ws://127.0.4.5:8080/ws", "--timeout", "2", "x");
    assertThat(two.err()).contains("-- could not connect to").doesNotContain("only one server");
  }

  @Test
  void aSendThatTimesOutDuringAQuorumLossSaysSo() {
    server.refuseSendsAsUnavailable(1_000_000);
    Run run = run("", "send", "--server", url(), "--timeout", "2", "hello");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("timed out after 2 s: 1 of 1 messages not acknowledged")
        .contains("the cluster has no quorum (UNAVAILABLE: no quorum)");
  }

  @Test
  void sendFailsWhenTheServerRefusesTheMessage() {
    Run run = run("", "send", "--server", url(), "x".repeat(9000));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("TOO_LARGE");
  }

  @Test
  void interactiveChatSendsLinesAndShowsMessagesPresenceAndState() {
    String input = "hello there\n/join second\nin second\n/who\n/nonsense\n/quit\n";
    Run run = run(input, "--server", url(), "--user", "carol", "--group", "first");
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("-- connected to " + url())
        .contains("* you (carol) joined first (members: carol)")
        .contains("!! unknown command /nonsense");
    List<String> sends = new ArrayList<>();
    cluster
        .received("send")
        .forEach(r -> sends.add(r.frame().getString("group") + ":" + r.frame().getString("text")));
    assertThat(sends).containsExactly("first:hello there", "second:in second");
  }
}
