package dev.mcpgateway.store;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerKey;
import io.vertx.core.Future;
import java.io.IOException;
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

  private final AccountDocuments files;
  private final SingleWriter writer;
  private final PortalMembership portals;
  private final Map<String, NavigableMap<String, McpServer>> byAccount = new ConcurrentHashMap<>();
  private final List<Consumer<ServerKey>> listeners = new CopyOnWriteArrayList<>();

  private FileServerStore(Path serversDir, SingleWriter writer, PortalMembership portals) {
    this.files = new AccountDocuments(serversDir);
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
      files.delete(accountId, id);
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

  /** An id as a directory name: only ids that cannot climb out of the data directory. */
  static String safeSegment(String id) {
    return AccountDocuments.safeSegment(id);
  }

  private void write(McpServer server) throws IOException {
    // the directory is owner-only already; the file is too, as it holds sealed secrets
    files.write(server.accountId(), server.id(), StoredServerJson.encode(server).toBuffer().getBytes());
  }

  private void load() throws IOException {
    files.load((file, document) -> {
      McpServer server = StoredServerJson.decode(document);
      accountServers(server.accountId()).put(server.id(), server);
    });
  }
}
