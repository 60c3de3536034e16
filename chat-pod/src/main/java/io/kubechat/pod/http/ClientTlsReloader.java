package io.kubechat.pod.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificate rotation without a restart: every period the client TLS directory is read again (on a
 * worker thread) and, when its certificate or key changed, the client port's server switches to
 * them with {@code updateSSLOptions}. New connections get the new certificate, open ones keep
 * theirs. A directory that does not check out (a half-written renewal, a mismatched pair) is
 * ignored with one WARN per distinct problem, and the server keeps the last good pair. The kubelet
 * replaces a mounted Secret's files atomically, so cert-manager's renewals arrive whole. Used on
 * the pod's context only.
 */
public final class ClientTlsReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ClientTlsReloader.class);

  private final Vertx vertx;
  private final HttpServer server;
  private final String variable;
  private final long periodMs;
  private final long handshakeTimeoutS;
  private ClientTls current;
  private long timer = -1;
  private boolean checking;
  private String lastProblem;

  public ClientTlsReloader(
      Vertx vertx,
      HttpServer server,
      ClientTls initial,
      String variable,
      long periodMs,
      long handshakeTimeoutS) {
    this.vertx = vertx;
    this.server = server;
    this.current = initial;
    this.variable = variable;
    this.periodMs = periodMs;
    this.handshakeTimeoutS = handshakeTimeoutS;
  }

  public void start() {
    timer = vertx.setPeriodic(periodMs, t -> check());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * One look at the directory: true when the server now uses a new pair, false when nothing
   * changed; failed when the directory does not check out (the old pair stays). Package-private for
   * tests.
   */
  Future<Boolean> check() {
    if (checking) {
      return Future.succeededFuture(false);
    }
    checking = true;
    return vertx
        .executeBlocking(() -> ClientTls.load(current.dir(), variable), false)
        .compose(
            next -> {
              if (next.sameAs(current)) {
                return Future.succeededFuture(false);
              }
              return server
                  .updateSSLOptions(next.sslOptions(handshakeTimeoutS), true)
                  .map(
                      updated -> {
                        current = next;
                        LOG.info(
                            "client port: new TLS certificate from {} (valid until {})",
                            next.dir(),
                            next.notAfter());
                        return true;
                      });
            })
        .andThen(
            ar -> {
              checking = false;
              if (ar.succeeded()) {
                lastProblem = null;
              } else {
                String problem = String.valueOf(ar.cause().getMessage());
                if (!problem.equals(lastProblem)) {
                  LOG.warn(
                      "client port: keeping the current TLS certificate (valid until {}): {}",
                      current.notAfter(),
                      problem);
                  lastProblem = problem;
                }
              }
            });
  }
}
