package io.kubechat.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two ways to build each image agree: the Dockerfile (for users with a container engine) and
 * Jib's tarball from {@code -Pimages} (checked here by opening it) run the same jar, at the same
 * path, as the same user, with the same ports, environment and labels; the version label is the
 * chart's appVersion.
 */
class ImagesTest {
  private static final String VERSION_LABEL = "org.opencontainers.image.version";
  private static final String BASE_LABEL = "org.opencontainers.image.base.name";
  private static final Pattern POM_BASE =
      Pattern.compile("<kubechat\\.image\\.base>([^<]+)</kubechat\\.image\\.base>");

  @ParameterizedTest
  @ValueSource(strings = {"chat-pod", "operator"})
  void dockerfileCopiesWhatThePackagePhaseBuilt(String module) {
    Path context = Repo.ROOT.resolve(module);
    Dockerfile dockerfile = Dockerfile.of(module);

    assertThat(dockerfile.copies()).as("%s/Dockerfile copies something", module).isNotEmpty();
    for (List<String> copy : dockerfile.copies()) {
      for (String source : copy.subList(0, copy.size() - 1)) {
        assertThat(context.resolve(source)).as("%s/Dockerfile copies %s", module, source).exists();
      }
    }
    List<String> lastCopy = dockerfile.copies().get(dockerfile.copies().size() - 1);
    assertThat(dockerfile.entrypoint()).startsWith("java", "-jar");
    assertThat(dockerfile.jar()).hasToString(lastCopy.get(lastCopy.size() - 1));
    assertThat(dockerfile.user()).isEqualTo("10001:10001");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat-pod", "operator"})
  void dockerfileBuildsOnTheDefaultBaseOfTheJibImages(String module) {
    Matcher pomBase = POM_BASE.matcher(Repo.read(Repo.ROOT.resolve("packaging/pom.xml")));
    assertThat(pomBase.find()).as("packaging/pom.xml sets kubechat.image.base").isTrue();
    Dockerfile dockerfile = Dockerfile.of(module);

    assertThat(dockerfile.from()).isEqualTo(pomBase.group(1));
    assertThat(dockerfile.labels()).containsEntry(BASE_LABEL, dockerfile.from());
  }

  @Test
  void operatorDockerfileRunsAsTheUserOfTheOperatorsManifests() {
    Map<String, Object> values = Repo.yamlMap(Repo.CHART.resolve("values.yaml"));
    @SuppressWarnings("unchecked")
    Map<String, Object> chart = (Map<String, Object>) values.get("podSecurityContext");
    PodSecurityContext deploy =
        Repo.only(
                Repo.parse(Repo.DEPLOY.resolve("operator/deployment.yaml")), Deployment.class, null)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getSecurityContext();
    String user = Dockerfile.of("operator").user();

    assertThat(user).isEqualTo(chart.get("runAsUser") + ":" + chart.get("runAsGroup"));
    assertThat(user).isEqualTo(deploy.getRunAsUser() + ":" + deploy.getRunAsGroup());
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat-pod", "operator"})
  void jibImageRunsWhatTheDockerfileRuns(String module) throws Exception {
    OciImage image = OciImage.read(Images.tarball(module));
    OciImage.Settings settings = image.config().config();
    Dockerfile dockerfile = Dockerfile.of(module);

    assertThat(settings.entrypoint()).isEqualTo(dockerfile.entrypoint());
    assertThat(settings.cmd()).isEmpty();
    assertThat(settings.user()).isEqualTo("10001:10001").isEqualTo(dockerfile.user());
    assertThat(settings.workingDir()).isEqualTo(dockerfile.workdir());
    assertThat(new TreeSet<>(settings.exposedPorts().keySet()))
        .isEqualTo(new TreeSet<>(dockerfile.exposedPorts().stream().map(p -> p + "/tcp").toList()));
    assertThat(settings.envMap()).containsAllEntriesOf(dockerfile.env());

    String jar = dockerfile.jar().toString();
    TarArchiveEntry entry = image.entries().get(jar.substring(1));
    assertThat(entry).as("%s in the image", jar).isNotNull();
    assertThat(entry.isFile()).isTrue();
    assertThat(entry.getMode() & 0004).as("%s is world-readable", jar).isNotZero();
    Path built =
        Repo.ROOT.resolve(module).resolve("target").resolve(dockerfile.jar().getFileName());
    assertThat(OciImage.sha256(image.file(jar)))
        .as("the image carries the jar that package built")
        .isEqualTo(OciImage.sha256(Files.readAllBytes(built)));

    Map<String, String> labels = settings.labels();
    dockerfile.labels().entrySet().stream()
        .filter(l -> !l.getKey().equals(VERSION_LABEL) && !l.getKey().equals(BASE_LABEL))
        .forEach(l -> assertThat(labels).containsEntry(l.getKey(), l.getValue()));
    assertThat(dockerfile.labels()).containsEntry(VERSION_LABEL, "${VERSION}");
    assertThat(labels.keySet()).containsExactlyInAnyOrderElementsOf(dockerfile.labels().keySet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat-pod", "operator"})
  void jibImageCarriesTheChartsVersionAndName(String module) {
    OciImage image = OciImage.read(Images.tarball(module));
    Map<String, String> labels = image.config().config().labels();
    Object appVersion = Repo.yamlMap(Repo.CHART.resolve("Chart.yaml")).get("appVersion");

    assertThat(labels).containsEntry(VERSION_LABEL, String.valueOf(appVersion));
    assertThat(labels).containsEntry(VERSION_LABEL, Repo.VERSION);
    assertThat(labels).containsEntry(BASE_LABEL, Images.BASE);
    assertThat(image.refName()).isEqualTo(Images.reference(module));
    assertThat(image.config().os()).isEqualTo("linux");
    if (Images.PREFIX.equals("kubechat")) {
      Map<String, Object> values = Repo.yamlMap(Repo.CHART.resolve("values.yaml"));
      @SuppressWarnings("unchecked")
      Map<String, Object> chartImage =
          (Map<String, Object>) values.get(module.equals("operator") ? "image" : "chatPodImage");
      assertThat(image.refName()).isEqualTo(chartImage.get("repository") + ":" + appVersion);
    }
  }
}
