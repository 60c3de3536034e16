package io.kubechat.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The application's listeners; one failing listener neither stops the others nor the client. */
final class Listeners {
  private static final System.Logger LOG = System.getLogger(Listeners.class.getName());
  private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();

  void add(ChatListener listener) {
    listeners.add(listener);
  }

  void remove(ChatListener listener) {
    listeners.remove(listener);
  }

  void emit(Consumer<ChatListener> event) {
    for (ChatListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "chat listener failed", e);
      }
    }
  }
}
