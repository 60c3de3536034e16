package io.kubechat.pod;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.UUID;

/**
 * Who this process is: its node name; its incarnation (the consensus member id: new on every start,
 * unless a data directory keeps the member across restarts in place); a process id, new on every
 * start (the inbox address, so that a restarted pod never shares one with its dead self); and the
 * build version.
 */
public record PodIdentity(String node, String incarnation, String process, String version) {

  /** A new process of member {@code incarnation} of pod {@code node}. */
  public static PodIdentity of(String node, String incarnation) {
    return new PodIdentity(node, incarnation, randomId(), readVersion());
  }

  public static String randomId() {
    return UUID.randomUUID().toString().substring(0, 13);
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
