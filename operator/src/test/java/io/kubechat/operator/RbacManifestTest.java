package io.kubechat.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/operator/rbac.yaml grants exactly {@link Rbac#RULES}: no rule missing, none extra. (The
 * controller test checks RULES against the requests the operator makes; the packaging tests check
 * the Helm chart against deploy/.)
 */
class RbacManifestTest {
  private static final Path RBAC =
      Path.of(System.getProperty("kubechat.repoRoot", ".."), "deploy/operator/rbac.yaml");

  @Test
  void deployGrantsExactlyWhatTheCodeUses() throws IOException {
    List<Rbac.Rule> granted = new ArrayList<>();
    for (String document : Files.readString(RBAC).split("(?m)^---\\s*$")) {
      HasMetadata object = Serialization.unmarshal(document, HasMetadata.class);
      List<PolicyRule> rules =
          object instanceof ClusterRole c
              ? c.getRules()
              : object instanceof Role r ? r.getRules() : List.of();
      rules.stream().flatMap(RbacManifestTest::split).forEach(granted::add);
    }

    assertThat(granted)
        .containsExactlyInAnyOrderElementsOf(
            Rbac.RULES.stream().map(RbacManifestTest::sorted).toList());
  }

  /**
   * One rule per API group and resource, verbs sorted, so that grouping in YAML does not matter.
   */
  private static Stream<Rbac.Rule> split(PolicyRule rule) {
    return rule.getApiGroups().stream()
        .flatMap(
            group ->
                rule.getResources().stream()
                    .map(resource -> sorted(new Rbac.Rule(group, resource, rule.getVerbs()))));
  }

  private static Rbac.Rule sorted(Rbac.Rule rule) {
    return new Rbac.Rule(rule.apiGroup(), rule.resource(), rule.verbs().stream().sorted().toList());
  }
}
