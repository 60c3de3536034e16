package io.kubechat.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checked-in CRD must be exactly what the crd-generator makes from the Java classes. */
class CrdFileTest {
  static final String FILE = "chatclusters.kubechat.io-v1.yml";

  @Test
  void checkedInCrdMatchesGenerated() throws IOException {
    Path generated = Path.of("target/classes/META-INF/fabric8", FILE);
    Path checkedIn = Path.of(System.getProperty("kubechat.repoRoot", ".."), "deploy/crds", FILE);
    assertThat(generated).exists();
    String expected = PrinterColumnOrder.apply(Files.readString(generated));
    Path fresh = Path.of("target", FILE);
    Files.writeString(fresh, expected);
    assertThat(Files.readString(checkedIn))
        .as(
            "deploy/crds/%s differs from the generated CRD (with its printer columns ordered); copy"
                + " operator/%s to deploy/crds/ and to helm/kubechat-operator/files/",
            FILE, fresh)
        .isEqualTo(expected);
  }

  @Test
  void printerColumnsAreInTheOrderKubectlShouldShow() throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(
                Path.of(System.getProperty("kubechat.repoRoot", ".."), "deploy/crds", FILE)),
            CustomResourceDefinition.class);
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .containsExactly("Replicas", "Ready", "Leader", "Term", "Phase", "Age");
  }

  @Test
  void crdHasScaleSubresourceShortNameAndColumns() throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(Path.of("target/classes/META-INF/fabric8", FILE)),
            CustomResourceDefinition.class);
    assertThat(crd.getSpec().getGroup()).isEqualTo("kubechat.io");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("chat");
    var v = crd.getSpec().getVersions().get(0);
    assertThat(v.getName()).isEqualTo("v1alpha1");
    assertThat(v.getSubresources().getScale().getSpecReplicasPath()).isEqualTo(".spec.replicas");
    assertThat(v.getSubresources().getScale().getStatusReplicasPath())
        .isEqualTo(".status.replicas");
    assertThat(v.getSubresources().getScale().getLabelSelectorPath()).isEqualTo(".status.selector");
    assertThat(v.getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .containsExactlyInAnyOrder("Replicas", "Ready", "Leader", "Term", "Phase", "Age");
    var spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties();
    assertThat(spec.get("replicas").getDefault().asInt()).isEqualTo(3);
    assertThat(spec.get("replicas").getMinimum()).isEqualTo(1.0);
    assertThat(spec.get("replicas").getMaximum()).isEqualTo(9.0);
    assertThat(spec.get("antiAffinity").getDefault().asText()).isEqualTo("preferred");
    assertThat(
            spec.get("failurePolicy")
                .getProperties()
                .get("maxConcurrentReplacements")
                .getDefault()
                .asInt())
        .isEqualTo(1);
  }
}
