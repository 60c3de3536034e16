package io.kubechat.packaging;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image tarballs that {@code -Pimages} builds into packaging/target/images, and what tests of
 * them need. Without the profile (a plain {@code verify}) those tests are skipped, with the reason;
 * in CI ({@code CI=true}) a missing requirement fails them, so that they cannot pass by not
 * running.
 */
final class Images {
  static final String BASE = System.getProperty("kubechat.imageBase", "");
  static final String PREFIX = System.getProperty("kubechat.imagePrefix", "kubechat");
  private static final String DIR = System.getProperty("kubechat.imageDir", "");

  private Images() {}

  /** The tarball of a module's image ({@code chat-pod}, {@code operator}). */
  static Path tarball(String module) {
    require(!DIR.isBlank(), "it needs the image tarballs that -Pimages builds");
    Path tar = Path.of(DIR, "kubechat-" + module + ".tar");
    if (!Files.isRegularFile(tar)) {
      fail("-Pimages is on but " + tar + " was not built");
    }
    return tar;
  }

  /** The image's name in the tarball, as the chart's default values name it. */
  static String reference(String module) {
    return PREFIX + "/" + module + ":" + Repo.VERSION;
  }

  /** Skips the test when {@code met} is false, or fails it in CI. */
  static void require(boolean met, String what) {
    if (!met && "true".equals(System.getenv("CI"))) {
      fail("CI must run this test, but it cannot: " + what);
    }
    assumeTrue(met, what);
  }
}
