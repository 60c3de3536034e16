package io.kubechat.packaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image in an OCI image-layout tarball, as Jib's {@code buildTar} writes it with format OCI: one
 * manifest in {@code index.json}, blobs under {@code blobs/sha256/}. Reading checks what a runtime
 * would: every blob has the digest it is named by, and every layer the diff id of the config.
 */
final class OciImage {
  private final Map<String, byte[]> blobs;
  private final String refName;
  private final Config config;
  private final List<Descriptor> layers;

  private OciImage(Map<String, byte[]> blobs, Descriptor manifestDescriptor) {
    this.blobs = blobs;
    this.refName = manifestDescriptor.annotations().get("org.opencontainers.image.ref.name");
    Manifest manifest = json(blob(manifestDescriptor.digest()), Manifest.class);
    this.config = json(blob(manifest.config().digest()), Config.class);
    this.layers = manifest.layers();
    List<String> diffIds = new ArrayList<>();
    for (Descriptor layer : layers) {
      diffIds.add(sha256(gunzip(blob(layer.digest()))));
    }
    if (!diffIds.equals(config.rootfs().diffIds())) {
      throw new IllegalStateException(
          "layers " + diffIds + " are not the config's diff ids " + config.rootfs().diffIds());
    }
  }

  static OciImage read(Path tarball) {
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile()) {
          files.put(e.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, byte[]> blobs = new HashMap<>();
    files.forEach(
        (name, bytes) -> {
          if (name.startsWith("blobs/sha256/")) {
            String digest = "sha256:" + name.substring("blobs/sha256/".length());
            if (!digest.equals(sha256(bytes))) {
              throw new IllegalStateException(name + " does not have the digest it is named by");
            }
            blobs.put(digest, bytes);
          }
        });
    if (!files.containsKey("oci-layout") || !files.containsKey("index.json")) {
      throw new IllegalStateException(tarball + " is not an OCI image layout: " + files.keySet());
    }
    Index index = json(files.get("index.json"), Index.class);
    if (index.manifests().size() != 1) {
      throw new IllegalStateException("expected one manifest, found " + index.manifests());
    }
    return new OciImage(blobs, index.manifests().get(0));
  }

  /** The name the tarball gives the image, e.g. {@code kubechat/chat-pod:0.1.0}. */
  String refName() {
    return refName;
  }

  Config config() {
    return config;
  }

  /** Every entry of every layer, by path without the leading slash, the upper layer winning. */
  Map<String, TarArchiveEntry> entries() {
    Map<String, TarArchiveEntry> entries = new HashMap<>();
    for (Descriptor layer : layers) {
      forEachEntry(layer, (e, in) -> entries.put(normalize(e.getName()), e));
    }
    return entries;
  }

  /** The bytes of a regular file of the image. */
  byte[] file(String path) {
    AtomicReference<byte[]> found = new AtomicReference<>();
    for (Descriptor layer : layers) {
      forEachEntry(
          layer,
          (e, in) -> {
            if (e.isFile() && normalize(e.getName()).equals(normalize(path))) {
              found.set(in.readAllBytes());
            }
          });
    }
    if (found.get() == null) {
      throw new IllegalStateException("no file " + path + " in the image");
    }
    return found.get();
  }

  /**
   * Unpacks the layers in order onto {@code rootfs}, as a runtime stacks them on the base's. The
   * images here never delete files, so a whiteout is refused rather than applied.
   */
  void unpack(Path rootfs) {
    for (Descriptor layer : layers) {
      forEachEntry(layer, (e, in) -> unpackEntry(rootfs, e, in));
    }
  }

  private static void unpackEntry(Path rootfs, TarArchiveEntry e, InputStream in)
      throws IOException {
    String name = normalize(e.getName());
    if (name.isEmpty()) {
      return;
    }
    Path target = rootfs.resolve(name).normalize();
    if (!target.startsWith(rootfs) || target.getFileName().toString().startsWith(".wh.")) {
      throw new IllegalStateException("refusing layer entry " + e.getName());
    }
    Files.createDirectories(target.getParent());
    if (e.isDirectory()) {
      Files.createDirectories(target);
    } else if (e.isSymbolicLink()) {
      Files.deleteIfExists(target);
      Files.createSymbolicLink(target, Path.of(e.getLinkName()));
      return;
    } else if (e.isFile()) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } else {
      throw new IllegalStateException("unexpected layer entry type: " + e.getName());
    }
    Files.setPosixFilePermissions(target, permissions(e.getMode()));
    Files.setLastModifiedTime(target, e.getLastModifiedTime());
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private interface EntryVisitor {
    void visit(TarArchiveEntry entry, InputStream content) throws IOException;
  }

  private void forEachEntry(Descriptor layer, EntryVisitor visitor) {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new GZIPInputStream(new ByteArrayInputStream(blob(layer.digest()))))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        visitor.visit(e, tar);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] blob(String digest) {
    byte[] bytes = blobs.get(digest);
    if (bytes == null) {
      throw new IllegalStateException("missing blob " + digest);
    }
    return bytes;
  }

  private static String normalize(String name) {
    return name.replaceFirst("^\\.?/+", "").replaceFirst("/$", "");
  }

  private static byte[] gunzip(byte[] gz) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T json(byte[] bytes, Class<T> type) {
    return Serialization.unmarshal(new String(bytes, StandardCharsets.UTF_8), type);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Index(List<Descriptor> manifests) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Manifest(Descriptor config, List<Descriptor> layers) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
    Descriptor {
      annotations = annotations == null ? Map.of() : annotations;
    }
  }

  /** The image configuration: the platform, how the container runs, the layers' diff ids. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Config(String architecture, String os, Settings config, RootFs rootfs) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record RootFs(@JsonProperty("diff_ids") List<String> diffIds) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Settings(
      @JsonProperty("Entrypoint") List<String> entrypoint,
      @JsonProperty("Cmd") List<String> cmd,
      @JsonProperty("Env") List<String> env,
      @JsonProperty("User") String user,
      @JsonProperty("WorkingDir") String workingDir,
      @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
      @JsonProperty("Labels") Map<String, String> labels) {
    Settings {
      cmd = cmd == null ? List.of() : cmd;
      env = env == null ? List.of() : env;
      exposedPorts = exposedPorts == null ? Map.of() : exposedPorts;
      labels = labels == null ? Map.of() : labels;
    }

    /** {@code Env} as a map; a later entry wins, as in a runtime. */
    Map<String, String> envMap() {
      Map<String, String> map = new LinkedHashMap<>();
      for (String e : env) {
        int eq = e.indexOf('=');
        map.put(e.substring(0, eq), e.substring(eq + 1));
      }
      return map;
    }
  }
}
