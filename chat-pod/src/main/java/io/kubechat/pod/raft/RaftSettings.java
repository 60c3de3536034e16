package io.kubechat.pod.raft;

/**
 * Settings of the consensus layer; see docs/consensus.md for the environment variables, defaults
 * and ranges.
 *
 * @param bootstrap form a new group when discovery finds none (KUBECHAT_BOOTSTRAP)
 * @param discoveryWindowMs how long to collect answers to a discovery request
 * @param heartbeatPeriodMs Raft leader heartbeat period, a multiple of 50 ms
 * @param heartbeatTimeoutMs leader silence after which followers elect a new leader; a multiple of
 *     50 ms, above the period
 * @param electionTimeoutMs how long a candidate waits for votes (randomized by MicroRaft)
 * @param memberRemovalTimeoutS a member DEAD this long is removed by the leader
 * @param historyLimit messages kept per group
 * @param snapshotEveryEntries commits between two snapshots (bounds the log)
 * @param sendTimeoutMs upper bound of send/join/leave before UNAVAILABLE
 * @param forwardTimeoutMs upper bound of one event-bus hop to the leader
 * @param promoteLagEntries a learner this close to the leader's commit index is promoted
 * @param dedupPerClient message ids remembered per client for deduplication
 * @param dedupClients clients remembered for deduplication
 * @param maintenancePeriodMs how often the leader checks learners and dead members
 * @param clusterSize the number of pods the cluster is meant to have (KUBECHAT_CLUSTER_SIZE), 0
 *     when unknown: with it, the pods form their group without a bootstrap pod
 */
public record RaftSettings(
    boolean bootstrap,
    long discoveryWindowMs,
    long heartbeatPeriodMs,
    long heartbeatTimeoutMs,
    long electionTimeoutMs,
    long memberRemovalTimeoutS,
    int historyLimit,
    int snapshotEveryEntries,
    long sendTimeoutMs,
    long forwardTimeoutMs,
    long promoteLagEntries,
    int dedupPerClient,
    int dedupClients,
    long maintenancePeriodMs,
    int clusterSize) {

  public RaftSettings {
    require(
        discoveryWindowMs >= 50 && discoveryWindowMs <= 60_000, "discoveryWindowMs", "50..60000");
    require(
        heartbeatPeriodMs >= 50 && heartbeatPeriodMs <= 60_000 && heartbeatPeriodMs % 50 == 0,
        "heartbeatPeriodMs",
        "50..60000, a multiple of 50");
    require(
        heartbeatTimeoutMs > heartbeatPeriodMs
            && heartbeatTimeoutMs <= 300_000
            && heartbeatTimeoutMs % 50 == 0,
        "heartbeatTimeoutMs",
        "heartbeat period+50..300000, a multiple of 50");
    require(
        electionTimeoutMs >= 100 && electionTimeoutMs <= 60_000, "electionTimeoutMs", "100..60000");
    require(
        memberRemovalTimeoutS >= 1 && memberRemovalTimeoutS <= 86_400,
        "memberRemovalTimeoutS",
        "1..86400");
    require(historyLimit >= 1 && historyLimit <= 1_000_000, "historyLimit", "1..1000000");
    require(snapshotEveryEntries >= 10, "snapshotEveryEntries", ">= 10");
    require(sendTimeoutMs >= 100 && sendTimeoutMs <= 60_000, "sendTimeoutMs", "100..60000");
    require(
        forwardTimeoutMs >= 50 && forwardTimeoutMs <= sendTimeoutMs,
        "forwardTimeoutMs",
        "50..sendTimeoutMs");
    require(promoteLagEntries >= 0, "promoteLagEntries", ">= 0");
    require(dedupPerClient >= 1, "dedupPerClient", ">= 1");
    require(dedupClients >= 1, "dedupClients", ">= 1");
    require(
        maintenancePeriodMs >= 10 && maintenancePeriodMs <= 10_000,
        "maintenancePeriodMs",
        "10..10000");
    require(clusterSize >= 0 && clusterSize <= 1000, "clusterSize", "0..1000");
  }

  /** Defaults tuned for fast failover on a LAN or loopback. */
  public static RaftSettings defaults() {
    return new RaftSettings(
        false, 1500, 250, 1000, 500, 30, 1000, 10_000, 2000, 1000, 20, 256, 10_000, 250, 0);
  }

  public RaftSettings withBootstrap(boolean value) {
    return new RaftSettings(
        value,
        discoveryWindowMs,
        heartbeatPeriodMs,
        heartbeatTimeoutMs,
        electionTimeoutMs,
        memberRemovalTimeoutS,
        historyLimit,
        snapshotEveryEntries,
        sendTimeoutMs,
        forwardTimeoutMs,
        promoteLagEntries,
        dedupPerClient,
        dedupClients,
        maintenancePeriodMs,
        clusterSize);
  }

  public RaftSettings withClusterSize(int value) {
    return new RaftSettings(
        bootstrap,
        discoveryWindowMs,
        heartbeatPeriodMs,
        heartbeatTimeoutMs,
        electionTimeoutMs,
        memberRemovalTimeoutS,
        historyLimit,
        snapshotEveryEntries,
        sendTimeoutMs,
        forwardTimeoutMs,
        promoteLagEntries,
        dedupPerClient,
        dedupClients,
        maintenancePeriodMs,
        value);
  }

  public RaftSettings withDiscoveryWindowMs(long value) {
    return new RaftSettings(
        bootstrap,
        value,
        heartbeatPeriodMs,
        heartbeatTimeoutMs,
        electionTimeoutMs,
        memberRemovalTimeoutS,
        historyLimit,
        snapshotEveryEntries,
        sendTimeoutMs,
        forwardTimeoutMs,
        promoteLagEntries,
        dedupPerClient,
        dedupClients,
        maintenancePeriodMs,
        clusterSize);
  }

  public RaftSettings withMemberRemovalTimeoutS(long value) {
    return new RaftSettings(
        bootstrap,
        discoveryWindowMs,
        heartbeatPeriodMs,
        heartbeatTimeoutMs,
        electionTimeoutMs,
        value,
        historyLimit,
        snapshotEveryEntries,
        sendTimeoutMs,
        forwardTimeoutMs,
        promoteLagEntries,
        dedupPerClient,
        dedupClients,
        maintenancePeriodMs,
        clusterSize);
  }

  public RaftSettings withSnapshotEveryEntries(int value) {
    return new RaftSettings(
        bootstrap,
        discoveryWindowMs,
        heartbeatPeriodMs,
        heartbeatTimeoutMs,
        electionTimeoutMs,
        memberRemovalTimeoutS,
        historyLimit,
        value,
        sendTimeoutMs,
        forwardTimeoutMs,
        promoteLagEntries,
        dedupPerClient,
        dedupClients,
        maintenancePeriodMs,
        clusterSize);
  }

  public RaftSettings withSendTimeoutMs(long value) {
    return new RaftSettings(
        bootstrap,
        discoveryWindowMs,
        heartbeatPeriodMs,
        heartbeatTimeoutMs,
        electionTimeoutMs,
        memberRemovalTimeoutS,
        historyLimit,
        snapshotEveryEntries,
        value,
        forwardTimeoutMs,
        promoteLagEntries,
        dedupPerClient,
        dedupClients,
        maintenancePeriodMs,
        clusterSize);
  }

  private static void require(boolean ok, String name, String range) {
    if (!ok) {
      throw new IllegalArgumentException(name + " must be in " + range);
    }
  }
}
