package dev.mcpgateway.store;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The embedded default store's servers: one JSON file per server under
 * {@code <dataDir>/servers/<account>/}, with every server also held in memory so reads never touch
 * the disk.
 *
 * <p>Durability: a write goes to a temp file, is fsynced, atomically renamed over the target, and
 * the directory is fsynced (as Caddy's autosave does), so after a crash a server file is either the
 * old or the new version, never a torn one. Leftover temp files are deleted at start, never loaded.
 * A write is acknowledged only after all of that, and the in-memory index changes only then.
 *
 * <p>Concurrency: every mutation runs on the embedded store's {@link SingleWriter}, shared with the
 * portals, the audit trail and the user connections, so read-modify-write is atomic without locks and the event
 * loop never waits for the disk. See {@link FileStores}.
 */
final class FileServerStore implements ServerStore {
  private static final System.Logger LOG = System.getLogger(FileServerStore.class.getName());
  /** Account and server ids become path segments: only these characters may reach the filesystem. */
  private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String SUFFIX = ".json";
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path serversDir;
  private final SingleWriter writer;
  private final PortalMembership portals;
  private final Map<String, NavigableMap<String, McpServer>> byAccount = new ConcurrentHashMap<>();
  private final List<Consumer<ServerKey>> listeners = new CopyOnWriteArrayList<>();

  private FileServerStore(Path serversDir, SingleWriter writer, PortalMembership portals) {
    this.serversDir = serversDir;
    this.writer = writer;
    this.portals = portals;
  }

  /**
   * Opens (creating if needed) the servers in {@code serversDir} and loads every one into memory.
   * {@code portals} tells which portals use a server: a server in use is not deleted. Blocking: on the writer.
   */
  static FileServerStore load(Path serversDir, SingleWriter writer, PortalMembership portals) throws IOException {
    FileServerStore store = new FileServerStore(serversDir, writer, portals);
    store.load();
    return store;
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
    return writer.write(() -> {
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
    return writer.write(() -> {
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
    return writer.write(() -> {
      McpServer current = existing(accountId, id);
      if (current == null) throw new ServerNotFoundException(accountId, id);
      List<String> users = portals.portalsUsing(accountId, id);
      if (!users.isEmpty()) throw new ServerInUseException(id, users);
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
  public Future<Void> ping() {
    return writer.answer(null);
  }

  /** Whether the server exists: on the writer, an answer no write can change before the asking task ends. */
  boolean exists(String accountId, String id) {
    return existing(accountId, id) != null;
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
