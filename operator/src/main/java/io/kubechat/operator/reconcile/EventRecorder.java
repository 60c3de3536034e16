package io.kubechat.operator.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubechat.operator.crd.ChatCluster;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes Events about a ChatCluster on its own thread, so that the reconciler never
 * waits for them; an event that cannot be written is logged and dropped.
 */
public final class EventRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "kubechat-operator";

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "kubechat-events");
            t.setDaemon(true);
            return t;
          });

  public EventRecorder(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  public void normal(ChatCluster c, String reason, String message) {
    record(c, "Normal", reason, message);
  }

  public void warning(ChatCluster c, String reason, String message) {
    record(c, "Warning", reason, message);
  }

  private void record(ChatCluster c, String type, String reason, String message) {
    String now = clock.instant().toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                c.getMetadata().getName()
                    + "."
                    + UUID.randomUUID()
                        .toString()
                        .replace("-", "")
                        .substring(0, 16)
                        .toLowerCase(Locale.ROOT))
            .withNamespace(c.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(c.getApiVersion())
                    .withKind(c.getKind())
                    .withName(c.getMetadata().getName())
                    .withNamespace(c.getMetadata().getNamespace())
                    .withUid(c.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent("kubechat.io/operator")
            .withReportingInstance(instance)
            .build();
    LOG.info("event {} {}: {}", type, reason, message);
    try {
      executor.execute(
          () -> {
            try {
              client
                  .v1()
                  .events()
                  .inNamespace(c.getMetadata().getNamespace())
                  .resource(event)
                  .create();
            } catch (RuntimeException e) {
              LOG.warn(
                  "could not write event {} for {}: {}",
                  reason,
                  c.getMetadata().getName(),
                  e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.debug("event recorder closed; dropped {}", reason);
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
