package io.kubechat.pod.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Tiny blocking HTTP helper for the admin port's /status, /readyz, /metrics and the admin action
 * (pass the pod's admin port, e.g. {@link TestCluster#ADMIN_PORT}).
 */
public final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Http() {}

  public record Response(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** GET; a refused connection or timeout is status -1. */
  public static Response get(String host, int port, String path) {
    return send(request(host, port, path).timeout(Duration.ofSeconds(3)).build());
  }

  /** POST with an empty body; a refused connection or timeout is status -1. */
  public static Response post(String host, int port, String path) {
    return send(
        request(host, port, path)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private static HttpRequest.Builder request(String host, int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path));
  }

  private static Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Response(-1, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(-1, "");
    }
  }

  /** The /status document, or null when the pod does not answer. */
  public static JsonObject status(String host, int port) {
    Response r = get(host, port, "/status");
    return r.status() == 200 ? r.json() : null;
  }

  /** The state of {@code node} in {@code observer}'s /status, or null. */
  public static String memberState(String observer, int port, String node) {
    JsonObject s = status(observer, port);
    if (s == null) {
      return null;
    }
    return s.getJsonArray("members").stream()
        .map(JsonObject.class::cast)
        .filter(m -> node.equals(m.getString("node")))
        .map(m -> m.getString("state"))
        .findFirst()
        .orElse(null);
  }

  public static JsonObject member(String observer, int port, String node) {
    JsonObject s = status(observer, port);
    if (s == null) {
      return null;
    }
    return s.getJsonArray("members").stream()
        .map(JsonObject.class::cast)
        .filter(m -> node.equals(m.getString("node")))
        .findFirst()
        .orElse(null);
  }
}
