package io.kubechat.client.connection;

import io.vertx.core.Future;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;

/**
 * One WebSocket session with one server. It reports text frames, binary frames and its end (once,
 * with the close code when the server sent one). Used on the client's event loop only.
 */
public final class Connection {
  /** What a connection reports. */
  public interface Handler {
    void onText(Connection connection, String text);

    void onBinary(Connection connection);

    /** {@code code} is null when no close frame arrived (reset, timeout, connect failure). */
    void onEnd(Connection connection, Integer code, String reason);
  }

  private final URI endpoint;
  private final Handler handler;
  private ClientWebSocket socket;
  private boolean opened;
  private boolean ended;

  public Connection(URI endpoint, Handler handler) {
    this.endpoint = endpoint;
    this.handler = handler;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Whether the WebSocket handshake with the server succeeded. */
  public boolean opened() {
    return opened;
  }

  /** Opens the socket; the returned future fails when the server cannot be reached. */
  public Future<Void> open(WebSocketClient client, Duration connectTimeout) {
    socket = client.webSocket();
    // Handlers first: a frame may arrive right after the handshake.
    socket.textMessageHandler(
        text -> {
          if (!ended) {
            handler.onText(this, text);
          }
        });
    socket.binaryMessageHandler(
        buffer -> {
          if (!ended) {
            handler.onBinary(this);
          }
        });
    socket.exceptionHandler(error -> end(null, String.valueOf(error.getMessage())));
    socket.closeHandler(
        v -> {
          Short code = socket.closeStatusCode();
          end(code == null ? null : code.intValue(), socket.closeReason());
        });
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setAbsoluteURI(endpoint.toString())
            .setConnectTimeout(connectTimeout.toMillis())
            .setTimeout(connectTimeout.toMillis());
    return socket
        .connect(options)
        .<Void>map(
            ws -> {
              opened = true;
              return null;
            })
        .onFailure(error -> end(null, "connect failed: " + error.getMessage()));
  }

  /** Writes a text frame; a failed write shows up as the end of the connection. */
  public void write(String text) {
    if (!ended && socket != null) {
      socket.writeTextMessage(text);
    }
  }

  /**
   * Closes the socket and stops reporting anything but the end; {@code reason} is what the end
   * reports (e.g. "no pong").
   */
  public void close(short code, String reason) {
    if (socket != null && !socket.isClosed()) {
      socket.close(code, reason);
    }
    end(null, reason);
  }

  private void end(Integer code, String reason) {
    if (ended) {
      return;
    }
    ended = true;
    handler.onEnd(this, code, reason);
  }
}
