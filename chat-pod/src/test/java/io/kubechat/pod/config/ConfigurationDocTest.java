package io.kubechat.pod.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents every variable the loader reads. */
class ConfigurationDocTest {

  @Test
  void everyVariableIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    for (Setting s : EnvConfigLoader.SETTINGS) {
      assertThat(doc).as("docs/configuration.md").contains("| `" + s.env() + "` |");
    }
  }
}
