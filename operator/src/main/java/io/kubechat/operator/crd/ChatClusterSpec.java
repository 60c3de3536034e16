package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/**
 * Desired state of a ChatCluster. Field initializers repeat the schema defaults so that objects
 * that never passed an API server's defaulting (tests, old objects) behave the same.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChatClusterSpec {
  /**
   * Every pod is a Raft voter: a commit waits for a majority, and 9 voters already tolerate 4
   * failures; more only slow commits and elections down (docs/operator.md).
   */
  public static final int MAX_REPLICAS = 9;

  @SpecReplicas
  @Default("3")
  @Min(1)
  @Max(MAX_REPLICAS)
  @PrinterColumn(name = "Replicas", priority = 0)
  @JsonPropertyDescription(
      "Number of chat pods, 1 to 9, default 3; every pod is a Raft voter. Use an odd number: a"
          + " majority must stay up, so 4 pods tolerate no more failures than 3 (an even count"
          + " gets a Warning).")
  private Integer replicas = 3;

  @JsonPropertyDescription(
      "Container image of the chat pod; empty means the operator's default"
          + " (KUBECHAT_OPERATOR_POD_IMAGE).")
  private String image;

  @Default("IfNotPresent")
  @JsonPropertyDescription(
      "Image pull policy of the chat container: Always, IfNotPresent (the default) or Never.")
  private ImagePullPolicy imagePullPolicy = ImagePullPolicy.IfNotPresent;

  @JsonPropertyDescription(
      "Compute resources of the chat container; when it sets neither requests nor limits, the"
          + " operator requests 250m CPU and 512Mi memory with a 1Gi memory limit (no CPU limit).")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Pod heartbeat timings; unset values use the chat pod's defaults.")
  private HeartbeatSpec heartbeat;

  @JsonPropertyDescription("Raft timings; unset values use the chat pod's defaults.")
  private RaftSpec raft;

  @JsonPropertyDescription("Client connection settings; unset values use the chat pod's defaults.")
  private ClientSpec client;

  @Min(1)
  @Max(1000000)
  @JsonPropertyDescription(
      "Messages kept per group for replay, 1 to 1000000; unset means the pod's default 1000"
          + " (KUBECHAT_HISTORY_LIMIT).")
  private Integer historyLimit;

  @Min(1)
  @Max(16777216)
  @JsonPropertyDescription(
      "Largest chat message text in UTF-8 bytes, 1 to 16777216 and at most"
          + " client.maxFrameBytes; unset means the pod's default 8192 (KUBECHAT_MAX_TEXT_BYTES).")
  private Integer maxMessageBytes;

  @Min(1)
  @Max(300)
  @JsonPropertyDescription(
      "Seconds a pod has to leave the cluster on SIGTERM, 1 to 300; unset means the pod's default"
          + " 10 (KUBECHAT_SHUTDOWN_GRACE_S). The pod's termination grace period is this plus 10 s"
          + " (30 s when unset).")
  private Integer shutdownGraceSeconds;

  @JsonPropertyDescription(
      "Persistent storage of the data directory /var/lib/kubechat: a PersistentVolumeClaim per"
          + " pod (data-<pod>), owned by the ChatCluster, so that it outlives pod deletion."
          + " Unset means an emptyDir, which lives as long as the pod.")
  private StorageSpec storage;

  @JsonPropertyDescription(
      "TLS on the client port (https and wss://) from a Secret; unset means plain HTTP and ws://.")
  private TlsSpec tls;

  @JsonPropertyDescription(
      "The NetworkPolicy of the chat pods, on by default: cluster ports only from the same"
          + " ChatCluster, the HTTP port from spec.networkPolicy.clientFrom or anyone.")
  private NetworkPolicySpec networkPolicy = new NetworkPolicySpec();

  @JsonPropertyDescription(
      "The client Service <name>, which forwards to the ready pods' HTTP/WebSocket port 8080.")
  private ClientServiceSpec service = new ClientServiceSpec();

  @JsonPropertyDescription(
      "Client authentication (docs/security.md). Unset, the pods run with authentication on but"
          + " no key, so they refuse every client; set mode jwt with a key source, or mode none"
          + " for development.")
  private AuthSpec auth;

  @JsonPropertyDescription("Extra metadata and scheduling settings for the chat pods.")
  private ChatPodTemplate podTemplate;

  @Default("preferred")
  @JsonPropertyDescription(
      "Spread pods over nodes (pod anti-affinity on kubernetes.io/hostname): preferred (the"
          + " default, best effort with weight 100), required (one pod per node) or none.")
  private AntiAffinity antiAffinity = AntiAffinity.preferred;

  @JsonPropertyDescription("When and how fast the operator replaces unhealthy pods.")
  private FailurePolicy failurePolicy = new FailurePolicy();

  @Default("Automatic")
  @JsonPropertyDescription(
      "What the operator does when the pods that made up a majority of the consensus group are"
          + " gone for good (deleted, or restarted without their data): Automatic (the default)"
          + " re-forms the group from the most advanced surviving pod; Manual only reports it with"
          + " a Warning event and the QuorumRecovered condition, and a person starts the recovery"
          + " (docs/operator.md).")
  private QuorumLossRecovery quorumLossRecovery = QuorumLossRecovery.Automatic;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ImagePullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public HeartbeatSpec getHeartbeat() {
    return heartbeat;
  }

  public void setHeartbeat(HeartbeatSpec heartbeat) {
    this.heartbeat = heartbeat;
  }

  public RaftSpec getRaft() {
    return raft;
  }

  public void setRaft(RaftSpec raft) {
    this.raft = raft;
  }

  public ClientSpec getClient() {
    return client;
  }

  public void setClient(ClientSpec client) {
    this.client = client;
  }

  public Integer getHistoryLimit() {
    return historyLimit;
  }

  public void setHistoryLimit(Integer historyLimit) {
    this.historyLimit = historyLimit;
  }

  public Integer getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public void setMaxMessageBytes(Integer maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  public Integer getShutdownGraceSeconds() {
    return shutdownGraceSeconds;
  }

  public void setShutdownGraceSeconds(Integer shutdownGraceSeconds) {
    this.shutdownGraceSeconds = shutdownGraceSeconds;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public TlsSpec getTls() {
    return tls;
  }

  public void setTls(TlsSpec tls) {
    this.tls = tls;
  }

  public NetworkPolicySpec getNetworkPolicy() {
    return networkPolicy;
  }

  public void setNetworkPolicy(NetworkPolicySpec networkPolicy) {
    this.networkPolicy = networkPolicy;
  }

  public ClientServiceSpec getService() {
    return service;
  }

  public void setService(ClientServiceSpec service) {
    this.service = service;
  }

  public AuthSpec getAuth() {
    return auth;
  }

  public void setAuth(AuthSpec auth) {
    this.auth = auth;
  }

  public ChatPodTemplate getPodTemplate() {
    return podTemplate;
  }

  public void setPodTemplate(ChatPodTemplate podTemplate) {
    this.podTemplate = podTemplate;
  }

  public AntiAffinity getAntiAffinity() {
    return antiAffinity;
  }

  public void setAntiAffinity(AntiAffinity antiAffinity) {
    this.antiAffinity = antiAffinity;
  }

  public FailurePolicy getFailurePolicy() {
    return failurePolicy;
  }

  public void setFailurePolicy(FailurePolicy failurePolicy) {
    this.failurePolicy = failurePolicy;
  }

  public QuorumLossRecovery getQuorumLossRecovery() {
    return quorumLossRecovery;
  }

  public void setQuorumLossRecovery(QuorumLossRecovery quorumLossRecovery) {
    this.quorumLossRecovery = quorumLossRecovery;
  }
}
