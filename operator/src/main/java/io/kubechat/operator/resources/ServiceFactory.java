package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.ClientServiceSpec;
import java.util.Optional;

/**
 * The headless Service for discovery (and the pods' DNS names) and the client Service. Neither
 * names the admin port: the operator reaches it on each pod's IP, and it is never behind the client
 * Service.
 */
public final class ServiceFactory {
  private ServiceFactory() {}

  /** Headless, publishing not-ready pods too: pods must find each other before they are ready. */
  public static Service headless(ChatCluster c) {
    return new ServiceBuilder()
        .withMetadata(Owners.meta(c, Names.headlessService(c), Names.labels(c, "discovery")))
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(Names.selector(c))
        .withPorts(
            port("hazelcast", Names.HAZELCAST_PORT, Names.HAZELCAST_PORT),
            port("eventbus", Names.EVENTBUS_PORT, Names.EVENTBUS_PORT),
            port("http", Names.HTTP_PORT, Names.HTTP_PORT))
        .endSpec()
        .build();
  }

  /** What clients (browsers, the CLI) connect to; only ready pods. */
  public static Service client(ChatCluster c) {
    ClientServiceSpec s =
        Optional.ofNullable(c.getSpec().getService()).orElseGet(ClientServiceSpec::new);
    String type = Optional.ofNullable(s.getType()).orElse(ClientServiceSpec.Type.ClusterIP).name();
    int port = Optional.ofNullable(s.getPort()).orElse(80);
    return new ServiceBuilder()
        .withMetadata(Owners.meta(c, Names.clientService(c), Names.labels(c, "client-service")))
        .withNewSpec()
        .withType(type)
        .withSelector(Names.selector(c))
        .withPorts(port("http", port, Names.HTTP_PORT))
        .endSpec()
        .build();
  }

  private static ServicePort port(String name, int port, int target) {
    return new ServicePortBuilder()
        .withName(name)
        .withProtocol("TCP")
        .withPort(port)
        .withTargetPort(new IntOrString(target))
        .build();
  }
}
