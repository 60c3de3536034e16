package io.kubechat.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No container engine runs here, so the Dockerfiles are checked against what `package` produced:
 * every path they copy exists, the entry point runs what was copied, and they run as non-root.
 */
class ImagesTest {
  private static final Pattern COPY =
      Pattern.compile("^(?:COPY|ADD)\\s+(?!--from)(.+)$", Pattern.MULTILINE);
  private static final Pattern USER = Pattern.compile("^USER\\s+(\\S+)\\s*$", Pattern.MULTILINE);
  private static final Pattern ENTRYPOINT =
      Pattern.compile("^ENTRYPOINT\\s+\\[(.+)]\\s*$", Pattern.MULTILINE);

  @ParameterizedTest
  @ValueSource(strings = {"chat-pod", "operator"})
  void dockerfileCopiesWhatThePackagePhaseBuilt(String module) throws Exception {
    Path context = Repo.ROOT.resolve(module);
    String dockerfile = Files.readString(context.resolve("Dockerfile"));

    Matcher copy = COPY.matcher(dockerfile);
    int copies = 0;
    String lastDestination = null;
    while (copy.find()) {
      List<String> args = Arrays.asList(copy.group(1).trim().split("\\s+"));
      for (String source : args.subList(0, args.size() - 1)) {
        assertThat(context.resolve(source)).as("%s/Dockerfile copies %s", module, source).exists();
      }
      lastDestination = args.get(args.size() - 1);
      copies++;
    }
    assertThat(copies).as("%s/Dockerfile copies something", module).isPositive();

    Matcher entrypoint = ENTRYPOINT.matcher(dockerfile);
    assertThat(entrypoint.find()).as("%s/Dockerfile has an exec-form ENTRYPOINT", module).isTrue();
    assertThat(entrypoint.group(1)).contains("\"" + lastDestination + "\"");

    Matcher user = USER.matcher(dockerfile);
    assertThat(user.find()).as("%s/Dockerfile sets USER", module).isTrue();
    assertThat(user.group(1)).matches("[1-9][0-9]*(:[1-9][0-9]*)?");
  }
}
