package io.kubechat.pod.raft.store;

import io.kubechat.pod.raft.PodEndpoint;
import io.microraft.model.impl.DefaultRaftModelFactory;
import io.microraft.persistence.RaftStore;
import io.microraft.persistence.RestoredRaftState;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod-local directory ({@code KUBECHAT_DATA_DIR}) that keeps one member across restarts of its
 * container: {@code member.json} names the cluster, the pod, the member, its group and its Raft
 * database ({@code raft-<n>.db}, MicroRaft's SQLite store). A directory that is unreadable,
 * corrupt, or belongs to another cluster or pod is discarded with one log line, and the pod joins
 * as a new member. A member id is used again only together with the Raft state it voted with.
 */
public final class MemberDirectory implements RaftPersistence, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemberDirectory.class);
  private static final String IDENTITY = "member.json";
  private static final int FORMAT = 1;

  private static final String LOCK = "lock";

  /** Held while the process lives (released by the OS when it dies) or until {@link #close}. */
  private final FileLock lock;

  private final Path dir;
  private final String cluster;
  private final String node;
  private final String memberId;
  private final DefaultRaftModelFactory factory = new DefaultRaftModelFactory();
  private Restored restored;
  private int stores;

  private MemberDirectory(Path dir, String cluster, String node, String memberId, FileLock lock) {
    this.lock = lock;
    this.dir = dir;
    this.cluster = cluster;
    this.node = node;
    this.memberId = memberId;
  }

  /**
   * Opens (creating it if needed) the directory of pod {@code node} in {@code cluster}; restores
   * the member kept there, or picks a new member id: {@code podUid} when given and not used before
   * in this directory, else a random one. Blocking: call before the pod starts.
   */
  public static MemberDirectory open(
      Path dir, String cluster, String node, Optional<String> podUid) {
    FileLock lock = lock(dir);
    DefaultRaftModelFactory factory = new DefaultRaftModelFactory();
    Path identity = dir.resolve(IDENTITY);
    String formerMember = null;
    if (Files.exists(identity)) {
      SqliteRaftStore store = null;
      String problem;
      try {
        JsonObject j = new JsonObject(Files.readString(identity));
        formerMember = j.getString("member");
        problem = mismatch(j, cluster, node);
        if (problem == null) {
          store = SqliteRaftStore.open(dir.resolve(j.getString("db")), factory);
          Optional<RestoredRaftState> state = store.restore();
          PodEndpoint self = PodEndpoint.parse(j.getString("endpoint"));
          if (state.isEmpty()) {
            problem = "it holds no Raft term yet";
          } else if (!self.equals(
              state.get().getLocalEndpointPersistentState().getLocalEndpoint())) {
            problem = "its Raft database belongs to another member";
          } else {
            MemberDirectory d = new MemberDirectory(dir, cluster, node, formerMember, lock);
            d.restored = new Restored(j.getString("group"), self, state.get(), store);
            d.stores = j.getInteger("stores", 1);
            return d;
          }
        }
      } catch (RuntimeException | IOException e) {
        problem = "it cannot be read (" + e + ")";
      }
      if (store != null) {
        store.close();
      }
      LOG.warn("discarding the data directory {}: {}; joining as a new member", dir, problem);
      wipe(dir);
    }
    String former = formerMember;
    String fresh =
        podUid
            .filter(uid -> !uid.equals(former))
            .orElseGet(() -> UUID.randomUUID().toString().substring(0, 13));
    return new MemberDirectory(dir, cluster, node, fresh, lock);
  }

  /**
   * Locks the directory for this process's lifetime: a second process given the same directory
   * stops at once instead of taking (or discarding) a live member's state.
   */
  private static FileLock lock(Path dir) {
    try {
      Files.createDirectories(dir);
      FileChannel ch =
          FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very process
      }
      if (lock == null) {
        ch.close();
        throw new IllegalStateException(
            "the data directory " + dir + " is in use by another process");
      }
      return lock;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the data directory " + dir, e);
    }
  }

  private static String mismatch(JsonObject j, String cluster, String node) {
    if (j.getInteger("format", 0) != FORMAT) {
      return "it has format " + j.getValue("format") + ", not " + FORMAT;
    } else if (!cluster.equals(j.getString("cluster"))) {
      return "it belongs to cluster " + j.getString("cluster") + ", not " + cluster;
    } else if (!node.equals(j.getString("node"))) {
      return "it belongs to pod " + j.getString("node") + ", not " + node;
    } else if (j.getString("member") == null
        || j.getString("group") == null
        || j.getString("endpoint") == null
        || j.getString("db") == null
        || j.getString("db").contains("/")) {
      return "its member.json is incomplete";
    }
    return null;
  }

  @Override
  public String memberId() {
    return memberId;
  }

  @Override
  public synchronized Optional<Restored> takeRestored() {
    Optional<Restored> r = Optional.ofNullable(restored);
    restored = null;
    return r;
  }

  @Override
  public synchronized Optional<RaftStore> fresh(String group, PodEndpoint self) {
    String db = "raft-" + ++stores + ".db";
    // a store from before (a removed member) may still be closing: its files go, a new one comes
    deleteStores(dir, db);
    SqliteRaftStore store = SqliteRaftStore.open(dir.resolve(db), factory);
    JsonObject identity =
        new JsonObject()
            .put("format", FORMAT)
            .put("cluster", cluster)
            .put("node", node)
            .put("member", memberId)
            .put("group", group)
            .put("endpoint", self.getId())
            .put("db", db)
            .put("stores", stores);
    writeAtomically(dir.resolve(IDENTITY), identity.encodePrettily());
    return Optional.of(store);
  }

  @Override
  public synchronized void forget() {
    wipe(dir);
  }

  /** Releases the directory (a pod never does: its lock goes with the process). */
  @Override
  public void close() throws IOException {
    lock.channel().close();
  }

  private static void wipe(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(IDENTITY));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir.resolve(IDENTITY), e);
    }
    deleteStores(dir, null);
  }

  /** Deletes the Raft databases in {@code dir} (with their WAL files), except {@code keep}. */
  private static void deleteStores(Path dir, String keep) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("raft-") && (keep == null || !name.startsWith(keep))) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean the data directory " + dir, e);
    }
  }

  /** Writes {@code text} to a temporary file, syncs it, and renames it over {@code target}. */
  private static void writeAtomically(Path target, String text) {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
