package io.kubechat.operator.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Asks the survivor of a lost quorum to re-form the group: {@code POST /admin/recover-quorum} on
 * its admin address (docs/consensus.md). Asynchronous; never throws, every failure is an outcome.
 */
public final class RecoveryCall
    implements Function<QuorumLoss, CompletableFuture<RecoveryOutcome>> {
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  public RecoveryCall(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public CompletableFuture<RecoveryOutcome> apply(QuorumLoss loss) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://" + loss.address() + "/admin/recover-quorum"))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
        .thenApply(resp -> outcome(loss, resp.statusCode(), resp.body()))
        .exceptionally(
            e ->
                RecoveryOutcome.failed(
                    loss,
                    loss.survivor()
                        + " did not answer the recovery: "
                        + (e.getCause() == null ? e : e.getCause())));
  }

  private RecoveryOutcome outcome(QuorumLoss loss, int status, String body) {
    JsonNode answer;
    try {
      answer = json.readTree(body);
    } catch (Exception e) {
      return RecoveryOutcome.failed(loss, loss.survivor() + " answered HTTP " + status);
    }
    if (status != 200 || !answer.path("recovered").asBoolean()) {
      return RecoveryOutcome.failed(
          loss,
          loss.survivor()
              + " refused the recovery (HTTP "
              + status
              + "): "
              + answer.path("error").asText("no reason given"));
    }
    return RecoveryOutcome.recovered(
        loss,
        answer.path("group").asText(),
        answer.path("recoveredIndex").asLong(),
        answer.path("formerCommitIndex").asLong(),
        answer.path("chatGroups").asInt());
  }
}
