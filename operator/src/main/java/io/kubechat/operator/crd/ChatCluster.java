package io.kubechat.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A cluster of kubechat pods, reconciled by the kubechat operator. */
@Group(ChatCluster.GROUP)
@Version(ChatCluster.VERSION)
@Kind("ChatCluster")
@Plural("chatclusters")
@Singular("chatcluster")
@ShortNames("chat")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@SchemaCustomizer(value = KubernetesTypeDescriptions.class, input = "")
public class ChatCluster extends CustomResource<ChatClusterSpec, ChatClusterStatus>
    implements Namespaced {
  public static final String GROUP = "kubechat.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected ChatClusterSpec initSpec() {
    return new ChatClusterSpec();
  }
}
