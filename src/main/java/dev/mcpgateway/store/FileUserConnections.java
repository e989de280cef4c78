package dev.mcpgateway.store;

import dev.mcpgateway.model.UserConnection;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The embedded store's per-user OAuth connections: one owner-only file per (server, user) under
 * {@code <dataDir>/oauth-users/<account>/<server>/<sha256 of the user>.json}, written atomically,
 * all held in memory for reads. Updates run on the embedded store's {@link SingleWriter}, so an
 * update's read-modify-write is atomic; a removed server's directory goes with all its users.
 */
final class FileUserConnections implements UserConnections {
  private static final String SUFFIX = ".json";
  private static final String TEMP_SUFFIX = ".tmp";
  private final Path root;
  private final SingleWriter writer;
  private final Map<String, UserConnection> byKey = new ConcurrentHashMap<>();

  private FileUserConnections(Path root, SingleWriter writer) {
    this.root = root;
    this.writer = writer;
  }

  /** Loads every connection under {@code root} into memory, dropping temp files a crash left. Blocking: on the writer. */
  static FileUserConnections load(Path root, SingleWriter writer) throws IOException {
    FileUserConnections connections = new FileUserConnections(root, writer);
    if (!Files.isDirectory(root)) return connections;
    try (Stream<Path> files = Files.walk(root, 3)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
          Files.deleteIfExists(file); // a write cut short by a crash: the previous version stands
        } else if (name.endsWith(SUFFIX)) {
          UserConnection c = UserConnection.fromJson(new JsonObject(Files.readString(file)));
          connections.byKey.put(key(c.accountId(), c.serverId(), c.subject()), c);
        }
      }
    }
    return connections;
  }

  @Override
  public Future<UserConnection> get(String accountId, String serverId, String subject) {
    return writer.answer(byKey.get(key(accountId, serverId, subject)));
  }

  @Override
  public Future<UserConnection> update(String accountId, String serverId, String subject, UnaryOperator<UserConnection> change) {
    return writer.write(() -> updateNow(accountId, serverId, subject, change));
  }

  @Override
  public Future<List<UserConnection>> deleteAll(String accountId, String serverId) {
    return writer.write(() -> deleteAllNow(accountId, serverId));
  }

  /** Blocking: on the writer. */
  private UserConnection updateNow(String accountId, String serverId, String subject, UnaryOperator<UserConnection> change)
      throws IOException {
    UserConnection next = change.apply(byKey.get(key(accountId, serverId, subject)));
    Path dir = serverDir(accountId, serverId);
    String file = TokenHash.sha256Hex(subject) + SUFFIX;
    if (next == null) {
      if (Files.deleteIfExists(dir.resolve(file))) DurableFiles.fsyncDirectory(dir);
      byKey.remove(key(accountId, serverId, subject));
      return null;
    }
    if (!Files.isDirectory(dir)) {
      DurableFiles.createPrivateDirectory(root);
      DurableFiles.createPrivateDirectory(dir.getParent());
      DurableFiles.createPrivateDirectory(dir);
      DurableFiles.fsyncDirectory(dir.getParent());
    }
    DurableFiles.writeAtomically(dir, file, next.toJson().toBuffer().getBytes(), TEMP_SUFFIX);
    byKey.put(key(accountId, serverId, subject), next);
    return next;
  }

  /** Blocking: on the writer. */
  private List<UserConnection> deleteAllNow(String accountId, String serverId) throws IOException {
    String prefix = accountId + "/" + serverId + "/";
    List<String> keys = byKey.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    Path dir = serverDir(accountId, serverId);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
      DurableFiles.fsyncDirectory(dir.getParent());
    }
    // memory follows the disk: a failed removal leaves every connection readable, as it is on disk
    List<UserConnection> removed = new ArrayList<>();
    for (String key : keys) {
      UserConnection gone = byKey.remove(key);
      if (gone != null) removed.add(gone);
    }
    return removed;
  }

  private Path serverDir(String accountId, String serverId) {
    return root.resolve(FileServerStore.safeSegment(accountId)).resolve(FileServerStore.safeSegment(serverId));
  }

  private static String key(String accountId, String serverId, String subject) {
    return accountId + "/" + serverId + "/" + subject;
  }
}
