package io.kubechat.packaging;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Paths of the repository and parsing of the manifests kept in it. */
final class Repo {
  static final Path ROOT =
      Path.of(System.getProperty("kubechat.repoRoot", "..")).toAbsolutePath().normalize();
  static final Path DEPLOY = ROOT.resolve("deploy");
  static final Path CHART = ROOT.resolve("helm/kubechat-operator");
  static final Path CRD = DEPLOY.resolve("crds/chatclusters.kubechat.io-v1.yml");
  static final String VERSION = System.getProperty("kubechat.version");

  private Repo() {}

  /** Every YAML file below {@code dir}, sorted, so that failures name files in a stable order. */
  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses one or more YAML documents into Kubernetes objects; blank documents are skipped. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
        continue;
      }
      objects.add(Serialization.unmarshal(document, HasMetadata.class));
    }
    return objects;
  }

  static List<HasMetadata> parse(Path file) {
    return parse(read(file));
  }

  /** A YAML file that is not a Kubernetes object (kustomization, Chart.yaml), as plain data. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yamlMap(Path file) {
    return Serialization.unmarshal(read(file), Map.class);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type, String name) {
    List<HasMetadata> found =
        objects.stream()
            .filter(type::isInstance)
            .filter(o -> name == null || name.equals(o.getMetadata().getName()))
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected exactly one "
              + type.getSimpleName()
              + (name == null ? "" : " named " + name)
              + " but found "
              + found.size());
    }
    return (T) found.get(0);
  }
}
