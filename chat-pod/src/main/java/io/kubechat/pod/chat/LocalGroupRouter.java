package io.kubechat.pod.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the backend's {@link ChatEvent}s to the local connections that joined the event's group.
 * This is the only fan-out inside a pod: the event bus carries each event once per pod, never once
 * per socket. Confined to the pod's context (no locking).
 */
public final class LocalGroupRouter {
  private static final Logger LOG = LoggerFactory.getLogger(LocalGroupRouter.class);

  /** A local connection that receives the events of the groups it subscribed to. */
  public interface Subscriber {
    void deliver(ChatEvent event);
  }

  private final Map<String, Set<Subscriber>> byGroup = new HashMap<>();

  public void subscribe(String group, Subscriber subscriber) {
    byGroup.computeIfAbsent(group, g -> new LinkedHashSet<>()).add(subscriber);
  }

  public void unsubscribe(String group, Subscriber subscriber) {
    Set<Subscriber> subs = byGroup.get(group);
    if (subs != null && subs.remove(subscriber) && subs.isEmpty()) {
      byGroup.remove(group);
    }
  }

  /** Hands {@code event} to every subscriber of its group; returns how many got it. */
  public int route(ChatEvent event) {
    Set<Subscriber> subs = byGroup.get(event.group());
    if (subs == null) {
      return 0;
    }
    // Copy: a subscriber may unsubscribe (e.g. a slow consumer being closed) while we iterate.
    List<Subscriber> targets = new ArrayList<>(subs);
    for (Subscriber s : targets) {
      try {
        s.deliver(event);
      } catch (RuntimeException e) {
        // One broken connection must never keep the event from the others.
        LOG.warn("delivery to a local subscriber failed: {}", e.toString());
      }
    }
    return targets.size();
  }

  /** Groups with at least one local subscriber. */
  public int groupCount() {
    return byGroup.size();
  }
}
