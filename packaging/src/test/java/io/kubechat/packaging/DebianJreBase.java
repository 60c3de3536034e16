package io.kubechat.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A base root file system made of Debian packages installed on this machine: the headless JRE 17
 * and the four libraries it links against, copied file by file as {@code dpkg-query -L} lists them,
 * in Debian's merged-/usr layout. It stands in for the JRE base image that no registry reachable
 * here can supply: the image's own layers go on top of it, as on any base.
 *
 * @param javaHome the JRE's directory inside the root file system
 */
record DebianJreBase(Path rootfs, String javaHome) {
  static final String JRE_PACKAGE = "openjdk-17-jre-headless";
  static final List<String> PACKAGES =
      List.of("libc6", "libgcc-s1", "libstdc++6", "zlib1g", JRE_PACKAGE);
  private static final List<String> MERGED_USR = List.of("bin", "sbin", "lib", "lib64");

  /** Whether dpkg says every package is installed; nothing else is needed to assemble it. */
  static boolean installed() {
    try {
      return run(
              Stream.concat(
                      Stream.of("dpkg-query", "-W", "-f=${db:Status-Status}\\n"), PACKAGES.stream())
                  .toList())
          .stream()
          .allMatch("installed"::equals);
    } catch (IllegalStateException e) {
      return false;
    }
  }

  static DebianJreBase assemble(Path rootfs) {
    try {
      deleteRecursively(rootfs);
      for (String dir : List.of("etc", "proc", "sys", "dev")) {
        Files.createDirectories(rootfs.resolve(dir));
      }
      for (String link : MERGED_USR) {
        Files.createDirectories(rootfs.resolve("usr").resolve(link));
        Files.createSymbolicLink(rootfs.resolve(link), Path.of("usr", link));
      }
      // runc gives a tmpfs the mode of the directory it is mounted on: Debian's 1777.
      Path tmp = Files.createDirectories(rootfs.resolve("tmp"));
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
      String javaHome = null;
      for (String pkg : PACKAGES) {
        for (String file : run(List.of("dpkg-query", "-L", pkg))) {
          copy(Path.of(file), rootfs);
          if (pkg.equals(JRE_PACKAGE) && file.matches("/usr/lib/jvm/[^/]+/bin/java")) {
            javaHome = Path.of(file).getParent().getParent().toString();
          }
        }
      }
      if (javaHome == null) {
        throw new IllegalStateException(JRE_PACKAGE + " has no bin/java");
      }
      return new DebianJreBase(rootfs, javaHome);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The environment the base image would declare: the JRE on the PATH, as Temurin's does. */
  List<String> env() {
    return List.of(
        "PATH=" + javaHome + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "JAVA_HOME=" + javaHome);
  }

  /** Copies one listed path: files and links as they are, directories as empty directories. */
  private static void copy(Path source, Path rootfs) throws IOException {
    Path target = rootfs.resolve(source.toString().substring(1));
    if (source.getParent() == null
        || MERGED_USR.contains(source.toString().substring(1))
        || !Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      return; // "/", the merged-/usr links, and files removed since (e.g. conffiles)
    }
    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(target);
      return;
    }
    Files.createDirectories(target.getParent());
    Files.copy(
        source,
        target,
        LinkOption.NOFOLLOW_LINKS,
        StandardCopyOption.COPY_ATTRIBUTES,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static List<String> run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>(p.inputReader().lines().toList());
      if (p.waitFor() != 0) {
        throw new IllegalStateException(command + " failed: " + lines);
      }
      return lines;
    } catch (IOException e) {
      throw new IllegalStateException(command + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
