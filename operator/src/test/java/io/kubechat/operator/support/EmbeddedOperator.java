package io.kubechat.operator.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubechat.operator.KubechatOperator;
import io.kubechat.operator.OperatorConfig;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The controller tests' fixture: the operator, embedded, against its own mock API server on one
 * loopback address, polling every 0.5 s and resyncing every second.
 */
public final class EmbeddedOperator implements AutoCloseable {
  private final MockApi api;
  private final KubernetesClient operatorClient;
  private final KubechatOperator operator;

  private EmbeddedOperator(
      MockApi api, KubernetesClient operatorClient, KubechatOperator operator) {
    this.api = api;
    this.operatorClient = operatorClient;
    this.operator = operator;
  }

  public static EmbeddedOperator start(String host) {
    return start(host, api -> {}, cfg -> cfg);
  }

  /**
   * @param prepare runs on the API server before the operator starts
   * @param tune changes the operator's configuration
   */
  public static EmbeddedOperator start(
      String host, Consumer<MockApi> prepare, UnaryOperator<OperatorConfig> tune) {
    MockApi api = new MockApi(host);
    prepare.accept(api);
    KubernetesClient operatorClient = api.operatorClient();
    OperatorConfig cfg =
        OperatorConfig.from(Map.of("KUBECHAT_OPERATOR_LEASE_NAMESPACE", "ops"))
            .withHttp(host, 0)
            .withTimings(Duration.ofMillis(500), Duration.ofSeconds(1))
            .embedded();
    return new EmbeddedOperator(
        api, operatorClient, KubechatOperator.start(operatorClient, tune.apply(cfg)));
  }

  public MockApi api() {
    return api;
  }

  /** The test's own client (its requests are not the operator's). */
  public KubernetesClient client() {
    return api.client();
  }

  public KubechatOperator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.close();
    operatorClient.close();
    api.close();
  }
}
