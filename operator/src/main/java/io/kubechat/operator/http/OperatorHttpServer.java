package io.kubechat.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The operator's own HTTP endpoints: /healthz (liveness), /readyz (readiness), /metrics. */
public final class OperatorHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  public OperatorHttpServer(
      String host, int port, BooleanSupplier live, BooleanSupplier ready, Supplier<String> metrics)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "kubechat-operator-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/healthz", ex -> probe(ex, live));
    server.createContext("/readyz", ex -> probe(ex, ready));
    server.createContext(
        "/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
    server.createContext("/", ex -> send(ex, 404, "text/plain", "not found\n"));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange ex, BooleanSupplier check) throws IOException {
    boolean ok;
    try {
      ok = check.getAsBoolean();
    } catch (RuntimeException e) {
      ok = false;
    }
    send(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "not ok\n");
  }

  private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
