package io.kubechat.pod;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.UUID;

/** Who this process is: its node name, a fresh incarnation id per start, and the build version. */
public record PodIdentity(String node, String incarnation, String version) {

  public static PodIdentity fresh(String node) {
    return new PodIdentity(node, UUID.randomUUID().toString().substring(0, 13), readVersion());
  }

  private static String readVersion() {
    try (InputStream in = PodIdentity.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
