package io.kubechat.client;

import io.kubechat.client.connection.EndpointRotation;
import io.kubechat.client.protocol.Names;
import io.kubechat.client.tls.ClientTrust;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A kubechat client that survives pod failures. It connects to one of its endpoints, says hello
 * with a stable {@code clientId}, joins groups and sends messages; when the connection is lost it
 * reconnects (backoff with full jitter, endpoints in rotation), rejoins every group with {@code
 * since}/{@code epoch} so missed messages are replayed, and resends every unacknowledged message
 * with its original id (the server deduplicates on clientId + id).
 *
 * <p>All methods are thread-safe and non-blocking (except {@link #awaitConnected}); results come as
 * {@link CompletableFuture}s and events through {@link ChatListener}s, both on the client's
 * event-loop thread.
 *
 * <pre>{@code
 * try (ChatClient client = ChatClient.builder()
 *     .endpoints("ws://127.0.0.2:8080/ws", "ws://127.0.0.3:8080/ws")
 *     .user("alice")
 *     .listener(new ChatListener() {
 *       public void onMessage(ChatMessage m) { System.out.println(m.from() + ": " + m.text()); }
 *     })
 *     .connect()) {
 *   client.join("lobby").join();
 *   Ack ack = client.send("lobby", "hello").get(10, TimeUnit.SECONDS);
 * }
 * }</pre>
 */
public final class ChatClient implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final WebSocketClient webSocketClient;
  private final Context context;
  private final Listeners listeners;
  private final ClientCore core;
  private final String clientId;
  private final String user;

  /** Makes generated message ids unique across restarts of a client with a fixed clientId. */
  private final String idPrefix = randomToken(10);

  private final AtomicLong idCounter = new AtomicLong();
  private final Object stateMonitor = new Object();
  private volatile ConnectionState state = ConnectionState.NEW;
  private volatile ServerInfo server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ChatClient(Builder builder, ClientSettings settings) {
    this.ownsVertx = builder.vertx == null;
    this.vertx =
        ownsVertx
            ? Vertx.vertx(
                new VertxOptions()
                    .setEventLoopPoolSize(1)
                    .setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1))
            : builder.vertx;
    this.webSocketClient =
        vertx.createWebSocketClient(
            settings
                .trust()
                .applyTo(
                    new WebSocketClientOptions()
                        .setMaxFrameSize(256 * 1024)
                        .setMaxMessageSize(1024 * 1024)
                        .setClosingTimeout(2)));
    this.context = vertx.getOrCreateContext();
    this.listeners = new Listeners();
    builder.listeners.forEach(listeners::add);
    this.clientId = settings.clientId();
    this.user = settings.user();
    this.core = new ClientCore(vertx, webSocketClient, settings, listeners, this::onState);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts connecting (in the background); idempotent. */
  public ChatClient start() {
    onContext(new CompletableFuture<Void>(), core::start);
    return this;
  }

  /**
   * Joins {@code group} (now, or on the next connection); the future completes with the own {@code
   * joined} presence carrying the member list. The group is rejoined after every reconnect until
   * {@link #leave}.
   */
  public CompletableFuture<Presence> join(String group) {
    return join(group, null);
  }

  /**
   * Joins {@code group} and asks for the messages after {@code since} (the history the server still
   * has); null means only new messages.
   */
  public CompletableFuture<Presence> join(String group, Long since) {
    Names.requireName("group", group);
    if (since != null && since < 0) {
      throw new IllegalArgumentException("since must be >= 0: " + since);
    }
    CompletableFuture<Presence> result = new CompletableFuture<>();
    onContext(result, () -> core.join(group, since, result));
    return result;
  }

  /**
   * Leaves {@code group}; messages to it that still wait for their ack fail with an {@link
   * IllegalStateException} (they may or may not have been delivered).
   */
  public CompletableFuture<Void> leave(String group) {
    Names.requireName("group", group);
    CompletableFuture<Void> result = new CompletableFuture<>();
    onContext(result, () -> core.leave(group, result));
    return result;
  }

  /**
   * Sends {@code text} to a joined group with a generated id. The future completes with the ack
   * ({@code seq} of the message) once the server ordered it, however many reconnects that takes; it
   * fails with {@link OutboxFullException} when too many messages wait for their ack, with {@link
   * ChatServerException} when the server refuses the message for good, and with {@link
   * ChatClientClosedException} when the client is closed first.
   */
  public CompletableFuture<Ack> send(String group, String text) {
    return send(group, idPrefix + "-" + idCounter.incrementAndGet(), text);
  }

  /**
   * Sends with an id chosen by the application ({@code [A-Za-z0-9._:-]{1,64}}), unique for this
   * clientId: sending the same id again after a restart does not produce a second message.
   */
  public CompletableFuture<Ack> send(String group, String id, String text) {
    Names.requireName("group", group);
    if (!Names.isMessageId(id)) {
      throw new IllegalArgumentException("message id must match [A-Za-z0-9._:-]{1,64}: " + id);
    }
    Objects.requireNonNull(text, "text");
    CompletableFuture<Ack> result = new CompletableFuture<>();
    onContext(result, () -> core.send(group, id, text, result));
    return result;
  }

  public void addListener(ChatListener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  public void removeListener(ChatListener listener) {
    listeners.remove(listener);
  }

  public ConnectionState state() {
    return state;
  }

  /** The welcome of the server this client is connected to, null when not connected. */
  public ServerInfo server() {
    return server;
  }

  public String clientId() {
    return clientId;
  }

  /** The user given to the builder; null when only a token names it. */
  public String user() {
    return user;
  }

  /** The number of messages waiting for their ack. */
  public CompletableFuture<Integer> outboxSize() {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    onContext(result, () -> result.complete(core.outboxSize()));
    return result;
  }

  /**
   * Blocks the calling thread until the client is connected, it failed or was closed, or the
   * timeout passed; returns whether it is connected. Never call it on the client's event loop.
   */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stateMonitor) {
      while (state != ConnectionState.CONNECTED && !state.terminal()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        stateMonitor.wait(Math.max(1, left / 1_000_000));
      }
      return state == ConnectionState.CONNECTED;
    }
  }

  /**
   * Closes the connection; pending sends and joins fail with {@link ChatClientClosedException}.
   * Blocks until the client's resources are released (at most a few seconds), except when called on
   * the client's own event loop (from a listener), where it closes without waiting.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (Vertx.currentContext() == context) {
      // Called from a listener or future callback: waiting here would block our own event loop.
      core.close(done);
      webSocketClient.close();
      if (ownsVertx) {
        vertx.close();
      }
      return;
    }
    context.runOnContext(v -> core.close(done));
    try {
      done.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    try {
      webSocketClient.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      if (ownsVertx) {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // best effort: nothing more to release
    }
  }

  /** Runs {@code action} on the client's event loop; fails {@code result} once it is gone. */
  private void onContext(CompletableFuture<?> result, Runnable action) {
    if (closed.get()) {
      result.completeExceptionally(new ChatClientClosedException("client closed"));
      return;
    }
    try {
      context.runOnContext(v -> action.run());
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new ChatClientClosedException("client closed"));
    }
  }

  private void onState(StateChange change) {
    synchronized (stateMonitor) {
      state = change.current();
      if (change.current() == ConnectionState.CONNECTED) {
        server = change.server();
      } else {
        server = null;
      }
      stateMonitor.notifyAll();
    }
  }

  static String randomToken(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder token = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      token.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return token.toString();
  }

  /** Builds a {@link ChatClient}; only {@link #endpoints} and {@link #user} are required. */
  public static final class Builder {
    private final List<URI> endpoints = new ArrayList<>();
    private String user;
    private String clientId;
    private Duration pingInterval = Duration.ofSeconds(5);
    private Duration pongTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration backoffInitial = Duration.ofMillis(200);
    private Duration backoffMax = Duration.ofSeconds(10);

    /** Matches the pods' default dedup window (KUBECHAT_DEDUP_PER_CLIENT, 256 ids per client). */
    private int outboxCapacity = 256;

    /** Well above the pods' bound on a join or leave (KUBECHAT_RAFT_SEND_TIMEOUT_MS, 2 s). */
    private Duration answerTimeout = Duration.ofSeconds(10);

    private Vertx vertx;
    private Supplier<String> tokens;
    private final List<ChatListener> listeners = new ArrayList<>();

    private ClientTrust trust = ClientTrust.jvmDefault();

    private Builder() {}

    /**
     * The servers ({@code ws://host:8080/ws}): one Service address, or several pod addresses tried
     * in rotation. Each string may hold several addresses separated by commas.
     */
    public Builder endpoints(String... endpoints) {
      for (String value : endpoints) {
        for (String part : value.split(",")) {
          if (!part.isBlank()) {
            this.endpoints.add(URI.create(part.trim()));
          }
        }
      }
      return this;
    }

    public Builder endpoints(List<URI> endpoints) {
      this.endpoints.addAll(endpoints);
      return this;
    }

    /**
     * The user; optional with a token (the pod takes the token's {@code sub}, and a user that
     * differs from it is refused).
     */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /**
     * Where tokens come from (docs/security.md): called on a worker thread for every connection and
     * reconnection, and again before the current token runs out or when the server asks, so it may
     * fetch a fresh one from an identity provider. A supplier that keeps giving the same token
     * cannot renew it: the connection is then closed when it expires, and refused after.
     */
    public Builder tokenSupplier(Supplier<String> tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** A fixed token (see {@link #tokenSupplier} for renewable ones). */
    public Builder token(String token) {
      Objects.requireNonNull(token, "token");
      return tokenSupplier(() -> token);
    }

    /** Stable identity across reconnects (and restarts, if you keep it); generated if absent. */
    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /** How often to ping (default 5 s; shortened when the server's idle timeout needs it). */
    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
      return this;
    }

    /** How long a ping (or the hello) may stay unanswered before reconnecting (default 10 s). */
    public Builder pongTimeout(Duration pongTimeout) {
      this.pongTimeout = pongTimeout;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Reconnect delays: full jitter in [0, min(max, initial * 2^attempt)] (200 ms, 10 s). */
    public Builder backoff(Duration initial, Duration max) {
      this.backoffInitial = initial;
      this.backoffMax = max;
      return this;
    }

    /**
     * How many messages may wait for their ack (default 256). Keep it at or below the pods' dedup
     * window ({@code KUBECHAT_DEDUP_PER_CLIENT}, default 256): a resend the server no longer
     * remembers would be ordered a second time.
     */
    public Builder outboxCapacity(int outboxCapacity) {
      this.outboxCapacity = outboxCapacity;
      return this;
    }

    /**
     * How long a join or leave may stay unanswered before it is presumed dropped (a server drops
     * frames over its rate limit with an error that names none of them) and written again (default
     * 10 s). Keep it above the pods' {@code KUBECHAT_RAFT_SEND_TIMEOUT_MS}, their upper bound on an
     * answer.
     */
    public Builder answerTimeout(Duration answerTimeout) {
      this.answerTimeout = answerTimeout;
      return this;
    }

    /**
     * Which servers {@code wss://} endpoints may be (default: {@link ClientTrust#jvmDefault()});
     * see {@link ClientTrust#caFile} and {@link ClientTrust#trustStore}.
     */
    public Builder trust(ClientTrust trust) {
      this.trust = Objects.requireNonNull(trust);
      return this;
    }

    /** Trusts only the CA certificate(s) in this PEM file on {@code wss://} endpoints. */
    public Builder trustCaFile(Path caFile) {
      return trust(ClientTrust.caFile(caFile));
    }

    /** Runs on this Vert.x instance instead of a private one (which close() would stop). */
    public Builder vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    public Builder listener(ChatListener listener) {
      this.listeners.add(Objects.requireNonNull(listener));
      return this;
    }

    /** Builds the client without connecting; call {@link ChatClient#start()}. */
    public ChatClient build() {
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("at least one endpoint is needed");
      }
      if (user != null || tokens == null) {
        Names.requireName("user", user);
      }
      String id = clientId == null ? "c-" + randomToken(16) : clientId;
      Names.requireName("clientId", id);
      requirePositive("pingInterval", pingInterval);
      requirePositive("pongTimeout", pongTimeout);
      requirePositive("connectTimeout", connectTimeout);
      requirePositive("backoff initial", backoffInitial);
      requirePositive("answerTimeout", answerTimeout);
      if (backoffMax.compareTo(backoffInitial) < 0) {
        throw new IllegalArgumentException("backoff max is below initial");
      }
      if (outboxCapacity < 1) {
        throw new IllegalArgumentException("outboxCapacity must be >= 1");
      }
      ClientSettings settings =
          new ClientSettings(
              List.copyOf(endpoints),
              user,
              id,
              pingInterval,
              pongTimeout,
              connectTimeout,
              backoffInitial,
              backoffMax,
              outboxCapacity,
              answerTimeout,
              tokens,
              trust);
      new EndpointRotation(settings.endpoints()); // validates
      return new ChatClient(this, settings);
    }

    /** Builds the client and starts connecting. */
    public ChatClient connect() {
      return build().start();
    }

    private static void requirePositive(String what, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + value);
      }
    }
  }
}
