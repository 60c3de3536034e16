package io.kubechat.operator.support;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/** fabric8's mock API server in CRUD mode, with the ChatCluster CRD installed. */
public final class MockApi implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  public MockApi(String host) {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    try {
      server.init(InetAddress.getByName(host), 0);
      client = server.createClient();
      String crd =
          Files.readString(
              Path.of("target/classes/META-INF/fabric8/chatclusters.kubechat.io-v1.yml"));
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(Serialization.unmarshal(crd, CustomResourceDefinition.class))
          .create();
      // JOSDK checks with a SelfSubjectRulesReview (allowed to every user by the default
      // system:basic-user role) that it may use Leases; CRUD mode cannot answer that.
      SelfSubjectRulesReview review =
          new SelfSubjectRulesReviewBuilder()
              .withNewStatus()
              .withIncomplete(false)
              .addNewResourceRule()
              .withApiGroups("coordination.k8s.io")
              .withResources("leases")
              .withVerbs("get", "create", "update")
              .endResourceRule()
              .endStatus()
              .build();
      server
          .expect()
          .post()
          .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
          .andReturn(201, review)
          .always();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static final String OPERATOR_AGENT = "kubechat-operator-under-test";

  public KubernetesClient client() {
    return client;
  }

  /** A client whose requests can be told apart (User-Agent), for the operator under test. */
  public KubernetesClient operatorClient() {
    Config base = client.getConfiguration();
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(base).withUserAgent(OPERATOR_AGENT).build())
        .build();
  }

  /** Makes the server answer every pod creation in the namespace as an admission policy would. */
  public void refusePodCreation(String namespace, int code, String message) {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + namespace + "/pods")
        .andReturn(
            code,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(code)
                .withReason(code == 403 ? "Forbidden" : "Invalid")
                .withMessage(message)
                .build())
        .always();
  }

  /** Every request the server received since the last call. */
  public List<RecordedRequest> drainRequests() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    for (RecordedRequest r = server.takeRequest(10, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
      out.add(r);
    }
    return out;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
