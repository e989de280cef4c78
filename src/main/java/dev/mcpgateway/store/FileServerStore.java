package dev.mcpgateway.store;

import dev.mcpgateway.model.AuditEntry;
import dev.mcpgateway.model.UserConnection;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The embedded default store: one JSON file per server under {@code <dataDir>/servers/<account>/},
 * with every server also held in memory so reads never touch the disk.
 *
 * <p>Durability: a write goes to a temp file, is fsynced, atomically renamed over the target, and
 * the directory is fsynced (as Caddy's autosave does), so after a crash a server file is either the
 * old or the new version, never a torn one. Leftover temp files are deleted at start, never loaded.
 * A write is acknowledged only after all of that, and the in-memory index changes only then.
 *
 * <p>Concurrency: every mutation runs on one single-threaded worker, so read-modify-write is atomic
 * without locks and the event loop never waits for the disk.
 *
 * <p>The audit trail is a {@link FileAuditLog} under {@code <dataDir>/audit/}: appended on the same
 * single writer, listed on Vert.x's worker pool.
 */
public final class FileServerStore implements ServerStore {
  private static final System.Logger LOG = System.getLogger(FileServerStore.class.getName());
  /** Account and server ids become path segments: only these characters may reach the filesystem. */
  private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String SUFFIX = ".json";
  private static final String TEMP_SUFFIX = ".tmp";

  private final Vertx vertx;
  private final Path serversDir;
  private final WorkerExecutor writer;
  private final FileAuditLog audit;
  private final Map<String, NavigableMap<String, McpServer>> byAccount = new ConcurrentHashMap<>();
  private final List<Consumer<ServerKey>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private final FileUserConnections users;

  private FileServerStore(Vertx vertx, Path serversDir, WorkerExecutor writer, FileAuditLog audit, FileUserConnections users) {
    this.vertx = vertx;
    this.users = users;
    this.audit = audit;
    this.serversDir = serversDir;
    this.writer = writer;
  }

  /** Opens (creating if needed) the store in {@code dataDir} and loads every server into memory. */
  public static Future<FileServerStore> open(Vertx vertx, Path dataDir) {
    WorkerExecutor writer = vertx.createSharedWorkerExecutor("file-store-" + UUID.randomUUID(), 1);
    return writer.executeBlocking(() -> {
      FileServerStore store = new FileServerStore(vertx, dataDir.resolve("servers"), writer,
          FileAuditLog.load(dataDir.resolve("audit")), FileUserConnections.load(dataDir.resolve("oauth-users")));
      store.load();
      return store;
    }, true).onFailure(e -> writer.close());
  }

  @Override
  public Future<List<SyncState>> syncStates() {
    List<SyncState> states = new ArrayList<>();
    byAccount.values().forEach(servers -> servers.values().forEach(s -> states.add(
        new SyncState(ServerKey.of(s), s.status(), s.lastSynced(), s.lastSuccessfulSync(), s.createdAt()))));
    return Future.succeededFuture(states);
  }

  @Override
  public void onChange(Consumer<ServerKey> listener) {
    listeners.add(listener);
  }

  private McpServer changed(McpServer server) {
    ServerKey key = ServerKey.of(server);
    listeners.forEach(l -> l.accept(key));
    return server;
  }

  @Override
  public Future<McpServer> create(McpServer server) {
    return mutate(() -> {
      if (accountServers(server.accountId()).containsKey(server.id())) {
        throw new DuplicateServerException(server.accountId(), server.id());
      }
      write(server);
      accountServers(server.accountId()).put(server.id(), server);
      return server;
    }).map(this::changed);
  }

  @Override
  public Future<McpServer> get(String accountId, String id) {
    McpServer server = existing(accountId, id);
    return server == null ? Future.failedFuture(new ServerNotFoundException(accountId, id)) : Future.succeededFuture(server);
  }

  @Override
  public Future<McpServer> update(String accountId, String id, UnaryOperator<McpServer> change) {
    return mutate(() -> {
      McpServer current = existing(accountId, id);
      if (current == null) throw new ServerNotFoundException(accountId, id);
      McpServer next = change.apply(current);
      if (!next.accountId().equals(accountId) || !next.id().equals(id)) {
        throw new IllegalArgumentException("an update may not change a server's account or id");
      }
      write(next);
      accountServers(accountId).put(id, next);
      return next;
    }).map(this::changed);
  }

  @Override
  public Future<McpServer> delete(String accountId, String id) {
    return mutate(() -> {
      McpServer current = existing(accountId, id);
      if (current == null) throw new ServerNotFoundException(accountId, id);
      Path dir = accountDir(accountId);
      Files.deleteIfExists(dir.resolve(id + SUFFIX));
      DurableFiles.fsyncDirectory(dir);
      accountServers(accountId).remove(id);
      return current;
    }).map(this::changed);
  }

  @Override
  public Future<ServerPage> list(String accountId, ServerQuery query) {
    NavigableMap<String, McpServer> servers = byAccount.getOrDefault(accountId, new ConcurrentSkipListMap<>());
    List<McpServer> matching = servers.values().stream().filter(query::matches).toList();
    List<McpServer> page = matching.stream().skip(query.offset()).limit(query.perPage()).toList();
    return Future.succeededFuture(new ServerPage(page, matching.size()));
  }

  @Override
  public Future<AuditEntry> appendAudit(AuditEntry entry) {
    return mutate(() -> audit.append(entry));
  }

  @Override
  public Future<AuditPage> listAudit(String accountId, AuditQuery query) {
    if (closed) return Future.failedFuture(new StoreUnavailableException("store closed", null));
    // reads only lines the index already holds, which appends never rewrite: no need to queue behind the writer
    return vertx.executeBlocking(() -> {
      try {
        return audit.list(accountId, query);
      } catch (IOException | UncheckedIOException e) {
        LOG.log(System.Logger.Level.ERROR, "embedded store audit read failed", e);
        throw new StoreUnavailableException("embedded store audit read failed", e);
      }
    }, false);
  }

  @Override
  public Future<UserConnection> userConnection(String accountId, String serverId, String subject) {
    return closed ? Future.failedFuture(new StoreUnavailableException("store closed", null))
        : Future.succeededFuture(users.get(accountId, serverId, subject));
  }

  @Override
  public Future<UserConnection> updateUserConnection(String accountId, String serverId, String subject,
      UnaryOperator<UserConnection> change) {
    return mutate(() -> users.update(accountId, serverId, subject, change));
  }

  @Override
  public Future<List<UserConnection>> deleteUserConnections(String accountId, String serverId) {
    return mutate(() -> users.deleteAll(accountId, serverId));
  }

  @Override
  public Future<Void> ping() {
    return closed ? Future.failedFuture(new StoreUnavailableException("store closed", null)) : Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return writer.close();
  }

  private interface Mutation<T> {
    T run() throws Exception;
  }

  private <T> Future<T> mutate(Mutation<T> mutation) {
    if (closed) return Future.failedFuture(new StoreUnavailableException("store closed", null));
    return writer.<T>executeBlocking(() -> {
      try {
        return mutation.run();
      } catch (IOException | UncheckedIOException e) {
        LOG.log(System.Logger.Level.ERROR, "embedded store write failed", e);
        throw new StoreUnavailableException("embedded store write failed", e);
      }
    }, true);
  }

  private McpServer existing(String accountId, String id) {
    NavigableMap<String, McpServer> servers = byAccount.get(accountId);
    return servers == null ? null : servers.get(id);
  }

  private NavigableMap<String, McpServer> accountServers(String accountId) {
    return byAccount.computeIfAbsent(accountId, a -> new ConcurrentSkipListMap<>());
  }

  private Path accountDir(String accountId) {
    return serversDir.resolve(safeSegment(accountId));
  }

  /** An id as a directory name: only ids that cannot climb out of the data directory. */
  static String safeSegment(String id) {
    if (!SAFE_SEGMENT.matcher(id).matches()) throw new IllegalArgumentException("id is not a safe path segment");
    return id;
  }

  private void write(McpServer server) throws IOException {
    if (!SAFE_SEGMENT.matcher(server.id()).matches()) throw new IllegalArgumentException("server id is not a safe path segment");
    Path dir = accountDir(server.accountId());
    if (!Files.isDirectory(dir)) {
      DurableFiles.createPrivateDirectory(dir);
      DurableFiles.fsyncDirectory(serversDir);
    }
    // the directory is owner-only already; the file is too, as it holds sealed secrets
    DurableFiles.writeAtomically(dir, server.id() + SUFFIX, StoredServerJson.encode(server).toBuffer().getBytes(), TEMP_SUFFIX);
  }

  private void load() throws IOException {
    DurableFiles.createPrivateDirectory(serversDir);
    try (DirectoryStream<Path> accounts = Files.newDirectoryStream(serversDir, Files::isDirectory)) {
      for (Path accountDir : accounts) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(accountDir)) {
          for (Path file : files) loadFile(file);
        }
      }
    }
  }

  private void loadFile(Path file) throws IOException {
    String fileName = file.getFileName().toString();
    if (fileName.endsWith(TEMP_SUFFIX)) {
      // A write that crashed before its rename: the previous version (if any) is the real one.
      LOG.log(System.Logger.Level.WARNING, "ignoring unfinished write " + file);
      Files.deleteIfExists(file);
      return;
    }
    if (!fileName.endsWith(SUFFIX)) return;
    McpServer server;
    try {
      server = StoredServerJson.decode(new JsonObject(Files.readString(file)));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
    }
    accountServers(server.accountId()).put(server.id(), server);
  }
}
