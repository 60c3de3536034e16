package io.kubechat.pod.raft;

import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.JoinRequest;
import io.kubechat.pod.chat.JoinResult;
import io.kubechat.pod.chat.LeaveRequest;
import io.kubechat.pod.chat.LeaveResult;
import io.kubechat.pod.chat.state.ChatCommand;
import io.kubechat.pod.chat.state.ChatState;
import io.kubechat.pod.chat.state.PresenceLedger;
import io.vertx.core.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins and leaves of this pod's clients: through the log when a quorum is reachable; without one,
 * answered from the local state (replay, gap/reset and members as this pod sees them), with the log
 * entry left to the periodic repair of what the log misses (see {@link PresenceLedger}). Confined
 * to the backend's context.
 */
final class PresenceKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceKeeper.class);
  private static final int MAX_CORRECTIONS = 64;

  private final RaftMember member;
  private final PresenceLedger presence;
  private final Function<ChatCommand, Future<Object>> propose;

  PresenceKeeper(RaftMember member, Function<ChatCommand, Future<Object>> propose) {
    this.member = member;
    this.presence = new PresenceLedger(member.node());
    this.propose = propose;
  }

  Future<JoinResult> join(JoinRequest r) {
    PresenceLedger.Key key = new PresenceLedger.Key(r.group(), r.clientId());
    presence.joined(key, r.user(), r.connection());
    return tracked(
            key,
            propose.apply(
                new ChatCommand.Join(
                    r.group(), r.user(), r.clientId(), r.node(), r.since(), r.epoch())))
        .map(JoinResult.class::cast)
        .recover(err -> joinLocally(r, key, err));
  }

  private Future<JoinResult> joinLocally(JoinRequest r, PresenceLedger.Key key, Throwable err) {
    ChatState s = member.state();
    JoinResult view =
        s != null && answersLocally(err) ? s.view(r.group(), r.since(), r.epoch()) : null;
    if (view == null) {
      // a group this pod has never seen gets its epoch from the log: the client retries
      presence.left(key, r.connection());
      return Future.failedFuture(err);
    }
    LOG.info(
        "{}: join of {} to {} answered from the local state: {}",
        member.node(),
        r.clientId(),
        r.group(),
        err.getMessage());
    return Future.succeededFuture(
        view.answeredLocally(presence.members(r.group(), s.presence(r.group()))));
  }

  Future<LeaveResult> leave(LeaveRequest r) {
    PresenceLedger.Key key = new PresenceLedger.Key(r.group(), r.clientId());
    presence.left(key, r.connection());
    return tracked(
            key,
            propose.apply(
                new ChatCommand.Leave(r.group(), r.user(), r.clientId(), r.node(), r.reason())))
        .map(LeaveResult.class::cast)
        .recover(
            err -> {
              ChatState s = member.state();
              return s != null && answersLocally(err)
                  ? Future.succeededFuture(
                      new LeaveResult(
                          r.group(), presence.members(r.group(), s.presence(r.group())), true))
                  : Future.failedFuture(err);
            });
  }

  /** True when {@code err} means "no quorum now" on a pod that still serves its local state. */
  private boolean answersLocally(Throwable err) {
    return !member.stopping() && err instanceof ChatException ce && "UNAVAILABLE".equals(ce.code());
  }

  /** Marks {@code key} as having an entry on its way to the log until {@code proposal} settles. */
  private <T> Future<T> tracked(PresenceLedger.Key key, Future<T> proposal) {
    presence.proposing(key);
    return proposal.onComplete(x -> presence.settled(key));
  }

  /** Proposes what the log misses of this pod's clients' presence; call while a quorum is up. */
  void repair() {
    ChatState s = member.state();
    if (s == null || member.stopping() || !member.status().available()) {
      return;
    }
    for (PresenceLedger.Correction c :
        presence.corrections(
            s.presenceOn(member.node()),
            k -> s.presenceOf(k.group(), k.clientId()),
            MAX_CORRECTIONS)) {
      LOG.info("{}: presence correction {}", member.node(), c.command());
      tracked(c.key(), propose.apply(c.command()))
          .onFailure(
              e ->
                  LOG.debug(
                      "{}: presence correction not ordered now: {}",
                      member.node(),
                      e.getMessage()));
    }
  }
}
