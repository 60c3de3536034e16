package io.kubechat.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.kubechat.operator.OperatorMetrics;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.ChatClusterStatus;
import io.kubechat.operator.crd.FailurePolicy;
import io.kubechat.operator.crd.QuorumLossRecovery;
import io.kubechat.operator.crd.SpecValidation;
import io.kubechat.operator.health.PodFacts;
import io.kubechat.operator.recovery.QuorumLossJudge;
import io.kubechat.operator.recovery.QuorumRecoverer;
import io.kubechat.operator.recovery.RecoveryReporting;
import io.kubechat.operator.resources.ClaimFactory;
import io.kubechat.operator.resources.Names;
import io.kubechat.operator.resources.PdbFactory;
import io.kubechat.operator.resources.PodFactory;
import io.kubechat.operator.resources.ServiceFactory;
import io.kubechat.operator.status.Assessment;
import io.kubechat.operator.status.ClusterFacts;
import io.kubechat.operator.status.ConditionSpec;
import io.kubechat.operator.status.Conditions;
import io.kubechat.operator.status.LeaderDerivation;
import io.kubechat.operator.status.LeaderView;
import io.kubechat.operator.status.PeerViews;
import io.kubechat.operator.status.PodObservation;
import io.kubechat.operator.status.PodStatusPoller;
import io.kubechat.operator.status.PodStatusReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reconciles a ChatCluster: keeps its Services, PodDisruptionBudget and Pods, and writes its
 * status. It reads only caches (informers, the status poller), acts with single API calls and
 * returns; time-based rules are re-checked by the periodic reschedule.
 */
@ControllerConfiguration(name = ChatClusterReconciler.NAME)
public final class ChatClusterReconciler implements Reconciler<ChatCluster> {
  public static final String NAME = "chatcluster";
  private static final Logger LOG = LoggerFactory.getLogger(ChatClusterReconciler.class);
  private static final String MANAGED = "app.kubernetes.io/managed-by=" + Names.MANAGED_BY;
  private static final Duration FIRST_POLL_WAIT = Duration.ofSeconds(1);
  private static final Duration RECOVERY_POLL = Duration.ofSeconds(1);

  private final PodFactory pods;
  private final PodStatusPoller poller;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final NodeWatch nodes;
  private final Clock clock;
  private final Duration resync;
  private final StatusWriter statusWriter;
  private final QuorumRecoverer recoverer;
  private final ClusterTlsKeeper clusterTls;

  public ChatClusterReconciler(
      PodFactory pods,
      PodStatusPoller poller,
      EventRecorder events,
      OperatorMetrics metrics,
      NodeWatch nodes,
      Clock clock,
      Duration resync,
      StatusWriter statusWriter,
      QuorumRecoverer recoverer) {
    this.statusWriter = statusWriter;
    this.recoverer = recoverer;
    this.clusterTls = new ClusterTlsKeeper(clock);
    this.pods = pods;
    this.poller = poller;
    this.events = events;
    this.metrics = metrics;
    this.nodes = nodes;
    this.clock = clock;
    this.resync = resync;
  }

  @Override
  public List<EventSource<?, ChatCluster>> prepareEventSources(
      EventSourceContext<ChatCluster> ctx) {
    return List.of(
        informer(Pod.class, ctx),
        informer(Service.class, ctx),
        informer(PodDisruptionBudget.class, ctx),
        informer(NetworkPolicy.class, ctx),
        informer(Secret.class, ctx),
        poller);
  }

  private static <R extends HasMetadata> InformerEventSource<R, ChatCluster> informer(
      Class<R> type, EventSourceContext<ChatCluster> ctx) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, ChatCluster.class)
            .withName(type.getSimpleName().toLowerCase(Locale.ROOT))
            .withLabelSelector(MANAGED)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ChatCluster.class, false))
            .build(),
        ctx);
  }

  @Override
  public UpdateControl<ChatCluster> reconcile(ChatCluster cc, Context<ChatCluster> ctx) {
    MDC.put("namespace", cc.getMetadata().getNamespace());
    MDC.put("cluster", cc.getMetadata().getName());
    try {
      metrics.reconciled();
      return doReconcile(cc, ctx);
    } finally {
      MDC.remove("namespace");
      MDC.remove("cluster");
    }
  }

  private UpdateControl<ChatCluster> doReconcile(ChatCluster cc, Context<ChatCluster> ctx) {
    Instant now = clock.instant();
    ResourceID id = ResourceID.fromResource(cc);
    KubernetesClient client = ctx.getClient();
    ChatClusterStatus old = statusWriter.current(cc);
    List<Pod> owned =
        ctx.getSecondaryResources(Pod.class).stream()
            .filter(p -> Names.ordinal(cc, p.getMetadata().getName()).isPresent())
            .sorted(
                Comparator.comparingInt(
                    p -> Names.ordinal(cc, p.getMetadata().getName()).getAsInt()))
            .toList();
    List<Pod> active =
        owned.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    Map<String, String> addresses = PodViews.addresses(active);
    poller.track(id, addresses);
    Map<String, PodObservation> observed = poller.observations(id);
    boolean observedAll = PodViews.observedAll(addresses, observed);
    Map<String, PodStatusReport> reachable = new LinkedHashMap<>();
    active.forEach(
        p ->
            Optional.ofNullable(observed.get(p.getMetadata().getName()))
                .flatMap(PodObservation::current)
                .ifPresent(r -> reachable.put(p.getMetadata().getName(), r)));

    List<String> problems = SpecValidation.validate(cc);
    int desired = Optional.ofNullable(cc.getSpec().getReplicas()).orElse(3);
    LeaderView leader = LeaderDerivation.derive(reachable, Math.max(desired, active.size()));
    boolean wasFormed = Boolean.TRUE.equals(old.getFormed()) && !owned.isEmpty();

    if (!problems.isEmpty()) {
      String message = "invalid spec, nothing changed: " + String.join("; ", problems);
      if (Conditions.newReason(old.getConditions(), ConditionSpec.READY, "InvalidSpec")) {
        events.warning(cc, "InvalidSpec", message);
      }
      return finish(
          client,
          cc,
          old,
          active,
          observed,
          reachable,
          leader,
          new ClusterFacts(
              message,
              desired,
              active.size(),
              PodViews.countReady(active),
              PodViews.notReady(active),
              leader,
              wasFormed,
              null),
          Optional.empty(),
          QuorumRecoverer.Step.NONE,
          now);
    }

    OwnedObjects.ensure(
        client, cc, ServiceFactory.headless(cc), ctx.getSecondaryResources(Service.class));
    OwnedObjects.ensure(
        client, cc, ServiceFactory.client(cc), ctx.getSecondaryResources(Service.class));
    OwnedObjects.ensureNetworkPolicy(client, cc, ctx.getSecondaryResources(NetworkPolicy.class));
    clusterTls.ensure(client, cc, ctx.getSecondaryResources(Secret.class));
    OwnedObjects.ensurePdb(
        client, cc, PdbFactory.pdb(cc), ctx.getSecondaryResources(PodDisruptionBudget.class));

    FailurePolicy fp =
        Optional.ofNullable(cc.getSpec().getFailurePolicy()).orElseGet(FailurePolicy::new);
    Duration unhealthyAfter =
        Duration.ofSeconds(
            Optional.ofNullable(fp.getUnhealthyAfterSeconds())
                .orElse(FailurePolicy.DEFAULT_UNHEALTHY_AFTER_SECONDS));
    List<PodFacts> facts =
        owned.stream()
            .map(p -> PodViews.facts(cc, nodes, p, observed, reachable, leader, now))
            .toList();
    Set<String> existing =
        owned.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    PodPlan plan =
        PodPlanner.plan(
            facts,
            desired,
            pods.desiredHash(cc),
            wasFormed,
            unhealthyAfter,
            Optional.ofNullable(fp.getMaxConcurrentReplacements()).orElse(1),
            Duration.ofSeconds(PodFactory.terminationGrace(cc.getSpec()) + 60),
            PeerViews.notLeft(existing, reachable),
            PodViews.joining(facts, reachable, unhealthyAfter, now),
            now);
    if (!observedAll) {
      // Right after a start (or while a new pod's first poll is under way) roles are unknown: a
      // roll would take the leader first and the status would say "no pod answers". Create
      // missing pods only, and decide the rest once the poll, which triggers a reconcile, is in.
      execute(client, cc, plan.creationsOnly(), desired);
      LOG.debug("waiting for the first /status poll of every pod before acting or reporting");
      return UpdateControl.<ChatCluster>noUpdate().rescheduleAfter(FIRST_POLL_WAIT);
    }
    QuorumRecoverer.Step recovery =
        recoverer.step(
            id,
            QuorumLossJudge.judge(PodViews.holdingMembers(cc, owned), observed),
            Optional.ofNullable(cc.getSpec().getQuorumLossRecovery())
                .orElse(QuorumLossRecovery.Automatic),
            now);
    announceRecovery(cc, old, recovery);
    if (recovery.loss() != null) {
      plan = plan.sparing(recovery.loss().survivors());
    }
    Optional<PodsRefused> refused = execute(client, cc, plan, desired);
    OwnedObjects.labelRoles(client, active, reachable, leader);

    return finish(
            client,
            cc,
            old,
            active,
            observed,
            reachable,
            leader,
            new ClusterFacts(
                null,
                desired,
                active.size(),
                PodViews.countReady(active),
                PodViews.notReady(active),
                leader,
                wasFormed,
                plan.activity()),
            refused,
            recovery,
            now)
        .rescheduleAfter(recovery.busy() ? RECOVERY_POLL : resync);
  }

  /**
   * The consensus group the leader reports, or the one a recovery just formed, else the last one
   * known. A change that no recovery of the operator explains is a Warning: a person re-formed the
   * group, or every member was gone and new pods formed a new, empty one.
   */
  private String group(
      ChatCluster cc,
      ChatClusterStatus old,
      Map<String, PodStatusReport> reachable,
      LeaderView leader,
      QuorumRecoverer.Step recovery) {
    if (recovery.kind() == QuorumRecoverer.Kind.ENDED && recovery.outcome().recovered()) {
      return recovery.outcome().group();
    }
    String reported =
        leader.elected()
            ? leader.leader().map(reachable::get).map(PodStatusReport::group).orElse(null)
            : null;
    if (reported == null) {
      return old.getGroup();
    }
    if (old.getGroup() != null && !reported.equals(old.getGroup()) && !recovery.busy()) {
      events.warning(
          cc,
          "GroupReformed",
          "the pods now form consensus group "
              + reported
              + ", not "
              + old.getGroup()
              + ", without a recovery by the operator: a person re-formed it"
              + " (POST /admin/recover-quorum), or every member of "
              + old.getGroup()
              + " was gone and new pods formed an empty group, in which case its chat history"
              + " is lost");
    }
    return reported;
  }

  private void announceRecovery(ChatCluster cc, ChatClusterStatus old, QuorumRecoverer.Step step) {
    switch (step.kind()) {
      case STARTED -> {
        LOG.warn("{}", step.loss().recovering());
        events.warning(cc, "RecoveringQuorum", step.loss().recovering());
      }
      case ENDED -> {
        LOG.warn("{}", step.outcome().message());
        metrics.quorumRecovery(step.outcome().recovered() ? "recovered" : "failed");
        if (step.outcome().recovered()) {
          events.normal(cc, "QuorumRecovered", step.outcome().message());
        } else {
          events.warning(cc, "QuorumRecoveryFailed", step.outcome().message());
        }
      }
      case NEEDED -> {
        if (Conditions.newReason(
            old.getConditions(), ConditionSpec.QUORUM_RECOVERED, RecoveryReporting.NEEDED)) {
          events.warning(
              cc, "QuorumRecoveryNeeded", RecoveryReporting.manualInstructions(step.loss()));
        }
      }
      default -> {}
    }
  }

  private UpdateControl<ChatCluster> finish(
      KubernetesClient client,
      ChatCluster cc,
      ChatClusterStatus old,
      List<Pod> active,
      Map<String, PodObservation> observed,
      Map<String, PodStatusReport> reachable,
      LeaderView leader,
      ClusterFacts facts,
      Optional<PodsRefused> refused,
      QuorumRecoverer.Step recovery,
      Instant now) {
    Assessment a =
        refused
            .map(r -> r.applyTo(Assessment.of(facts), facts))
            .orElseGet(() -> Assessment.of(facts));
    ChatClusterStatus s = new ChatClusterStatus();
    s.setObservedGeneration(cc.getMetadata().getGeneration());
    s.setPhase(a.phase().name());
    s.setFormed(a.formed());
    s.setReplicas(active.size());
    s.setReadyReplicas(facts.ready());
    s.setSelector(Names.selectorString(cc));
    s.setLeader(leader.leader().orElse(null));
    s.setTerm(leader.elected() ? leader.term() : null);
    s.setLeaderSince(
        leader.leader().isPresent()
                && leader.leader().get().equals(old.getLeader())
                && Objects.equals(leader.term(), old.getTerm())
            ? old.getLeaderSince()
            : leader.leader().map(l -> now.toString()).orElse(null));
    s.setMembers(PodViews.members(active, observed, reachable, leader));
    List<ConditionSpec> decided = new ArrayList<>(a.conditions());
    decided.add(
        refused
            .map(
                r ->
                    new ConditionSpec(
                        ConditionSpec.RECONCILE_SUCCESS, false, PodsRefused.REASON, r.message()))
            .orElseGet(
                () ->
                    new ConditionSpec(
                        ConditionSpec.RECONCILE_SUCCESS,
                        true,
                        "Reconciled",
                        facts.activity() == null ? "in sync with the spec" : facts.activity())));
    RecoveryReporting.condition(recovery).ifPresent(decided::add);
    s.setGroup(group(cc, old, reachable, leader, recovery));
    refused
        .filter(
            r -> Conditions.newReason(old.getConditions(), ConditionSpec.READY, PodsRefused.REASON))
        .ifPresent(r -> events.warning(cc, PodsRefused.REASON, r.message()));
    decided.stream()
        .filter(d -> d.type().equals(ConditionSpec.EVEN_REPLICAS) && d.status())
        .filter(
            d ->
                Conditions.find(old.getConditions(), ConditionSpec.EVEN_REPLICAS)
                    .map(c -> !"True".equals(c.getStatus()))
                    .orElse(true))
        .forEach(d -> events.warning(cc, d.reason(), d.message()));
    s.setConditions(
        Conditions.merge(old.getConditions(), decided, now, cc.getMetadata().getGeneration()));
    announceLeader(cc, old, s);
    if (!Objects.equals(old.getPhase(), s.getPhase())) {
      LOG.info(
          "phase {} -> {}: {}",
          old.getPhase(),
          s.getPhase(),
          Conditions.find(s.getConditions(), ConditionSpec.READY)
              .map(c -> c.getMessage())
              .orElse(""));
    }
    if (!s.equals(old)) {
      statusWriter.write(client, cc, s);
    }
    return UpdateControl.<ChatCluster>noUpdate().rescheduleAfter(resync);
  }

  private void announceLeader(ChatCluster cc, ChatClusterStatus old, ChatClusterStatus s) {
    if (s.getLeader() != null
        && (!s.getLeader().equals(old.getLeader())
            || !Objects.equals(s.getTerm(), old.getTerm()))) {
      metrics.leaderChanged();
      events.normal(
          cc,
          "LeaderElected",
          s.getLeader()
              + " leads at term "
              + s.getTerm()
              + (old.getLeader() == null
                  ? ""
                  : " (was " + old.getLeader() + " at term " + old.getTerm() + ")"));
    } else if (s.getLeader() == null && old.getLeader() != null) {
      events.warning(
          cc,
          "LeaderLost",
          "no leader (was "
              + old.getLeader()
              + "): "
              + Conditions.find(s.getConditions(), ConditionSpec.LEADER_ELECTED)
                  .map(c -> c.getMessage())
                  .orElse(""));
    }
  }

  @Override
  public ErrorStatusUpdateControl<ChatCluster> updateErrorStatus(
      ChatCluster cc, Context<ChatCluster> ctx, Exception e) {
    metrics.reconcileFailed();
    LOG.warn(
        "reconcile of {}/{} failed: {}",
        cc.getMetadata().getNamespace(),
        cc.getMetadata().getName(),
        e.toString());
    ChatClusterStatus s = copy(statusWriter.current(cc));
    s.setConditions(
        Conditions.merge(
            s.getConditions(),
            List.of(
                new ConditionSpec(
                    ConditionSpec.RECONCILE_SUCCESS,
                    false,
                    "ReconcileError",
                    e.getClass().getSimpleName() + ": " + e.getMessage() + " (retrying)")),
            clock.instant(),
            cc.getMetadata().getGeneration()));
    try {
      statusWriter.write(ctx.getClient(), cc, s);
    } catch (RuntimeException writeFailed) {
      LOG.warn("could not write the error status: {}", writeFailed.getMessage());
    }
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  private static ChatClusterStatus copy(ChatClusterStatus s) {
    return Serialization.unmarshal(Serialization.asJson(s), ChatClusterStatus.class);
  }

  /** Acts on the plan; returns the first pod creation the API server refused, if any. */
  private Optional<PodsRefused> execute(
      KubernetesClient client, ChatCluster cc, PodPlan plan, int desired) {
    String ns = cc.getMetadata().getNamespace();
    Optional<PodsRefused> refused = Optional.empty();
    for (int ordinal : plan.create()) {
      boolean bootstrap = plan.bootstrap().equals(OptionalInt.of(ordinal));
      Pod pod = pods.pod(cc, ordinal, bootstrap);
      try {
        ClaimFactory.claim(cc, ordinal).ifPresent(pvc -> OwnedObjects.createIfMissing(client, pvc));
        client.pods().inNamespace(ns).resource(pod).create();
        LOG.info(
            "created pod {}{}",
            pod.getMetadata().getName(),
            bootstrap ? " (bootstraps the group)" : "");
      } catch (KubernetesClientException e) {
        if (PodsRefused.isRefusal(e)) {
          PodsRefused r = PodsRefused.of(pod.getMetadata().getName(), e);
          LOG.warn("{}", r.message());
          refused = refused.or(() -> Optional.of(r));
          continue;
        }
        if (e.getCode() != 409) {
          throw e;
        }
        LOG.debug("pod {} exists already", pod.getMetadata().getName());
      }
    }
    // A spec change that needs new pods is scaling; pods coming back otherwise are replacements.
    boolean specChanged =
        cc.getStatus() == null
            || !Objects.equals(
                cc.getStatus().getObservedGeneration(), cc.getMetadata().getGeneration());
    if (!plan.create().isEmpty() && specChanged) {
      metrics.scaled("up");
      events.normal(
          cc,
          "ScalingUp",
          "creating "
              + plan.create().stream().map(o -> Names.pod(cc, o)).toList()
              + " to reach "
              + desired
              + " pods");
    }
    for (PodAction a : plan.delete()) {
      var op = client.pods().inNamespace(ns).withName(a.pod());
      (a.force() ? op.withGracePeriod(0) : op).delete();
      switch (a.kind()) {
        case REPLACE -> {
          metrics.replaced(a.reason());
          events.warning(
              cc, "Replacing" + a.reason(), a.message() + "; deleting it to recreate it");
        }
        case SCALE_DOWN -> {
          metrics.scaled("down");
          events.normal(cc, "ScalingDown", a.message());
        }
        case ROLL -> events.normal(cc, "RollingUpdate", a.message());
      }
    }
    return refused;
  }
}
