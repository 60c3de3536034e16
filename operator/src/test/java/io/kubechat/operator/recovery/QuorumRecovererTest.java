package io.kubechat.operator.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.kubechat.operator.crd.QuorumLossRecovery;
import io.kubechat.operator.reconcile.PodAction;
import io.kubechat.operator.reconcile.PodPlan;
import io.kubechat.operator.status.ConditionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class QuorumRecovererTest {
  private static final ResourceID ID = new ResourceID("demo", "ns");
  private static final QuorumLoss LOSS =
      new QuorumLoss(
          "g1", List.of("c-0", "c-1", "c-2"), List.of("c-1", "c-2"), "c-0", "c-0:9090", 2, 40);
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  private final List<CompletableFuture<RecoveryOutcome>> calls = new ArrayList<>();
  private final QuorumRecoverer recoverer =
      new QuorumRecoverer(
          loss -> {
            CompletableFuture<RecoveryOutcome> f = new CompletableFuture<>();
            calls.add(f);
            return f;
          },
          Duration.ofSeconds(5),
          Duration.ofSeconds(30));

  private QuorumRecoverer.Step step(Optional<QuorumLoss> loss, QuorumLossRecovery mode, long s) {
    return recoverer.step(ID, loss, mode, T0.plusSeconds(s));
  }

  @Test
  void aLossThatLastsTheGracePeriodIsRecoveredOnceThenCoolsDown() {
    assertThat(step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 0).kind())
        .isEqualTo(QuorumRecoverer.Kind.WAITING);
    assertThat(step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 4).kind())
        .isEqualTo(QuorumRecoverer.Kind.WAITING);
    assertThat(calls).isEmpty();
    QuorumRecoverer.Step started = step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 5);
    assertThat(started.kind()).isEqualTo(QuorumRecoverer.Kind.STARTED);
    assertThat(started.busy()).isTrue();
    assertThat(step(Optional.empty(), QuorumLossRecovery.Automatic, 6).kind())
        .as("the call is under way even if the judgement changes meanwhile")
        .isEqualTo(QuorumRecoverer.Kind.IN_FLIGHT);
    assertThat(calls).hasSize(1);
    calls.get(0).complete(RecoveryOutcome.recovered(LOSS, "g2", 40, 41, 3));
    QuorumRecoverer.Step ended = step(Optional.empty(), QuorumLossRecovery.Automatic, 7);
    assertThat(ended.kind()).isEqualTo(QuorumRecoverer.Kind.ENDED);
    assertThat(ended.outcome().message())
        .contains("c-0", "log index 40", "commit index 41", "after index 40 may be lost", "g2");
    assertThat(RecoveryReporting.condition(ended))
        .contains(
            new ConditionSpec(
                ConditionSpec.QUORUM_RECOVERED, true, "Recovered", ended.outcome().message()));
    assertThat(step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 20).kind())
        .as("cooldown")
        .isEqualTo(QuorumRecoverer.Kind.WAITING);
    assertThat(step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 37).kind())
        .as("a new loss after the cooldown starts its own grace period")
        .isEqualTo(QuorumRecoverer.Kind.WAITING);
    assertThat(step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 42).kind())
        .isEqualTo(QuorumRecoverer.Kind.STARTED);
    assertThat(calls).hasSize(2);
  }

  @Test
  void aLossThatEndsWithinTheGracePeriodIsNotRecovered() {
    step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 0);
    assertThat(step(Optional.empty(), QuorumLossRecovery.Automatic, 3).kind())
        .isEqualTo(QuorumRecoverer.Kind.NONE);
    assertThat(step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 6).kind())
        .as("the grace period starts again")
        .isEqualTo(QuorumRecoverer.Kind.WAITING);
    assertThat(calls).isEmpty();
  }

  @Test
  void aFailedRecoveryIsReportedAndRetriedAfterTheCooldown() {
    step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 0);
    step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 5);
    calls.get(0).complete(RecoveryOutcome.failed(LOSS, "c-0 answered HTTP 500"));
    QuorumRecoverer.Step ended = step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 6);
    assertThat(RecoveryReporting.condition(ended).map(ConditionSpec::reason))
        .contains("RecoveryFailed");
    assertThat(step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 41).kind())
        .as("after the cooldown, a grace period again")
        .isEqualTo(QuorumRecoverer.Kind.WAITING);
    assertThat(step(Optional.of(LOSS), QuorumLossRecovery.Automatic, 46).kind())
        .isEqualTo(QuorumRecoverer.Kind.STARTED);
  }

  @Test
  void manualModeOnlyReportsWithInstructions() {
    QuorumRecoverer.Step s = step(Optional.of(LOSS), QuorumLossRecovery.Manual, 60);
    assertThat(s.kind()).isEqualTo(QuorumRecoverer.Kind.NEEDED);
    assertThat(s.busy()).isFalse();
    assertThat(calls).isEmpty();
    assertThat(RecoveryReporting.condition(s).get().message())
        .contains(
            "kubectl port-forward pod/c-0 9090",
            "curl -X POST http://127.0.0.1:9090/admin/recover-quorum");
  }

  @Test
  void theSurvivorsAreNeverDeletedWhileTheLossLasts() {
    PodPlan plan =
        new PodPlan(
            List.of(1),
            OptionalInt.empty(),
            List.of(
                new PodAction("c-0", PodAction.Kind.REPLACE, "NotReady", "not ready", false),
                new PodAction("c-3", PodAction.Kind.SCALE_DOWN, "ScaleDown", "scale", false)),
            null);
    PodPlan spared = plan.sparing(LOSS.survivors());
    assertThat(spared.delete()).extracting(PodAction::pod).containsExactly("c-3");
    assertThat(spared.create()).containsExactly(1);
  }
}
