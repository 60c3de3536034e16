package io.kubechat.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example ChatClusters in deploy/examples use only fields the CRD has (parsed strictly into the
 * classes the CRD is generated from) and pass the checks the schema cannot express.
 */
class ExamplesTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("kubechat.repoRoot", ".."), "deploy/examples");
  private static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void everyExampleIsAValidChatCluster() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(2);

    for (Path example : examples) {
      ChatCluster cluster = STRICT.readValue(example.toFile(), ChatCluster.class);
      assertThat(cluster.getSpec()).as("%s has a spec", example).isNotNull();
      assertThat(SpecValidation.validate(cluster)).as("%s", example).isEmpty();
    }
  }
}
