package io.kubechat.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps everything it hears, for assertions from the test thread. */
public final class Recorder implements ChatListener {
  public final List<ChatMessage> messages = new CopyOnWriteArrayList<>();
  public final List<Presence> presence = new CopyOnWriteArrayList<>();
  public final List<StateChange> states = new CopyOnWriteArrayList<>();
  public final List<Gap> gaps = new CopyOnWriteArrayList<>();
  public final List<Reset> resets = new CopyOnWriteArrayList<>();
  public final List<ChatError> errors = new CopyOnWriteArrayList<>();
  public final List<String> caughtUp = new CopyOnWriteArrayList<>();

  @Override
  public void onMessage(ChatMessage message) {
    messages.add(message);
  }

  @Override
  public void onPresence(Presence p) {
    presence.add(p);
  }

  @Override
  public void onStateChange(StateChange change) {
    states.add(change);
  }

  @Override
  public void onGap(Gap gap) {
    gaps.add(gap);
  }

  @Override
  public void onReset(Reset reset) {
    resets.add(reset);
  }

  @Override
  public void onCaughtUp(String group, long seq) {
    caughtUp.add(group + "@" + seq + " after " + messages.size() + " messages");
  }

  @Override
  public void onError(ChatError error) {
    errors.add(error);
  }

  public List<String> texts() {
    return messages.stream().map(ChatMessage::text).toList();
  }

  public long connects() {
    return states.stream().filter(s -> s.current() == ConnectionState.CONNECTED).count();
  }
}
