package io.kubechat.pod.raft;

import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.JoinRequest;
import io.kubechat.pod.chat.JoinResult;
import io.kubechat.pod.chat.LeaveRequest;
import io.kubechat.pod.chat.LeaveResult;
import io.kubechat.pod.chat.state.ChatCommand;
import io.kubechat.pod.chat.state.ClientPresence;
import io.kubechat.pod.chat.state.PresenceLedger;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    PresenceLedger.Key key = new PresenceLedger.Key(r.group(), r.user(), r.clientId());
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
    Future<LocalView> local =
        answersLocally(err)
            ? member.read(
                s -> {
                  JoinResult view = s.view(r.group(), r.since(), r.epoch());
                  return view == null ? null : new LocalView(view, s.presence(r.group()));
                },
                null)
            : Future.succeededFuture();
    return local.compose(
        v -> {
          if (v == null) {
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
              v.view().answeredLocally(presence.members(r.group(), v.presence())));
        });
  }

  /** A join's answer as the local state sees it, with the group's presence in that state. */
  private record LocalView(JoinResult view, List<ClientPresence> presence) {}

  Future<LeaveResult> leave(LeaveRequest r) {
    PresenceLedger.Key key = new PresenceLedger.Key(r.group(), r.user(), r.clientId());
    presence.left(key, r.connection());
    return tracked(
            key,
            propose.apply(
                new ChatCommand.Leave(r.group(), r.user(), r.clientId(), r.node(), r.reason())))
        .map(LeaveResult.class::cast)
        .recover(
            err ->
                answersLocally(err) && member.running()
                    ? member
                        .read(s -> s.presence(r.group()), List.<ClientPresence>of())
                        .map(
                            logged ->
                                new LeaveResult(
                                    r.group(), presence.members(r.group(), logged), true))
                    : Future.failedFuture(err));
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
    if (!member.running() || member.stopping() || !member.status().available()) {
      return;
    }
    long version = presence.version();
    Set<PresenceLedger.Key> keys = presence.keys();
    String node = member.node();
    member
        .read(
            s -> {
              Map<PresenceLedger.Key, ClientPresence> logged = new HashMap<>();
              for (PresenceLedger.Key k : keys) {
                ClientPresence p = s.presenceOf(k.group(), k.user(), k.clientId());
                if (p != null) {
                  logged.put(k, p);
                }
              }
              return new LoggedPresence(s.presenceOn(node), logged);
            },
            null)
        .onSuccess(
            logged -> {
              // the ledger changed while the state was read: compare again next period
              if (logged != null && presence.version() == version) {
                repair(logged);
              }
            });
  }

  /** The state's presence entries through this pod, and its entries for the ledger's keys. */
  private record LoggedPresence(
      List<ClientPresence> onThisNode, Map<PresenceLedger.Key, ClientPresence> byKey) {}

  private void repair(LoggedPresence logged) {
    for (PresenceLedger.Correction c :
        presence.corrections(logged.onThisNode(), logged.byKey()::get, MAX_CORRECTIONS)) {
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
