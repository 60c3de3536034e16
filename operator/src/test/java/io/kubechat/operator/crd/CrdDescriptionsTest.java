package io.kubechat.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl explain chatcluster.spec} shows each field's description: every property under
 * spec and status of the generated CRD, also those of embedded Kubernetes types, must have one.
 */
class CrdDescriptionsTest {

  @Test
  void everySpecAndStatusFieldHasADescription() throws IOException {
    JSONSchemaProps root = schema();
    List<String> missing = new ArrayList<>();
    for (String top : List.of("spec", "status")) {
      JSONSchemaProps p = root.getProperties().get(top);
      assertThat(p).as(top).isNotNull();
      check(top, p, missing);
    }
    assertThat(missing).as("properties of the generated CRD without a description").isEmpty();
  }

  @Test
  void theWalkFindsNestedFields() throws IOException {
    // Guards the walk itself: it must reach into lists, maps and embedded Kubernetes types.
    List<String> seen = new ArrayList<>();
    JSONSchemaProps root = schema();
    collect("spec", root.getProperties().get("spec"), seen);
    collect("status", root.getProperties().get("status"), seen);
    assertThat(seen)
        .contains(
            "spec.replicas",
            "spec.failurePolicy.maxConcurrentReplacements",
            "spec.networkPolicy.clientFrom[].ipBlock.cidr",
            "spec.podTemplate.tolerations[].key",
            "spec.podTemplate.affinity.podAntiAffinity"
                + ".requiredDuringSchedulingIgnoredDuringExecution[].labelSelector"
                + ".matchExpressions[].values",
            "status.members[].role",
            "status.conditions[].type");
  }

  private static JSONSchemaProps schema() throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(Path.of("target/classes/META-INF/fabric8", CrdFileTest.FILE)),
            CustomResourceDefinition.class);
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  private static void check(String path, JSONSchemaProps p, List<String> missing) {
    if (p.getDescription() == null || p.getDescription().isBlank()) {
      missing.add(path);
    }
    children(path, p, (childPath, child) -> check(childPath, child, missing));
  }

  private static void collect(String path, JSONSchemaProps p, List<String> seen) {
    seen.add(path);
    children(path, p, (childPath, child) -> collect(childPath, child, seen));
  }

  /**
   * Properties by name, list items as "[]" and map values as "{}"; items and values themselves need
   * no description, their properties do.
   */
  private static void children(
      String path, JSONSchemaProps p, BiConsumer<String, JSONSchemaProps> f) {
    if (p.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> e : p.getProperties().entrySet()) {
        f.accept(path + "." + e.getKey(), e.getValue());
      }
    }
    if (p.getItems() != null && p.getItems().getSchema() != null) {
      children(path + "[]", p.getItems().getSchema(), f);
    }
    if (p.getItems() != null && p.getItems().getJSONSchemas() != null) {
      for (JSONSchemaProps item : p.getItems().getJSONSchemas()) {
        children(path + "[]", item, f);
      }
    }
    if (p.getAdditionalProperties() != null && p.getAdditionalProperties().getSchema() != null) {
      children(path + "{}", p.getAdditionalProperties().getSchema(), f);
    }
  }
}
