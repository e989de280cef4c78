package dev.mcpgateway.store;

import dev.mcpgateway.model.UserConnection;
import dev.mcpgateway.security.TokenHash;
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
 * all held in memory for reads. Blocking methods run on the store's single writer thread.
 */
final class FileUserConnections {
  private static final String SUFFIX = ".json";
  private static final String TEMP_SUFFIX = ".tmp";
  private final Path root;
  private final Map<String, UserConnection> byKey = new ConcurrentHashMap<>();

  private FileUserConnections(Path root) {
    this.root = root;
  }

  static FileUserConnections load(Path root) throws IOException {
    FileUserConnections connections = new FileUserConnections(root);
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

  UserConnection get(String accountId, String serverId, String subject) {
    return byKey.get(key(accountId, serverId, subject));
  }

  /** Blocking (writer thread). */
  UserConnection update(String accountId, String serverId, String subject, UnaryOperator<UserConnection> change) throws IOException {
    UserConnection next = change.apply(get(accountId, serverId, subject));
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

  /** Blocking (writer thread). */
  List<UserConnection> deleteAll(String accountId, String serverId) throws IOException {
    List<UserConnection> removed = new ArrayList<>();
    String prefix = accountId + "/" + serverId + "/";
    byKey.keySet().removeIf(k -> {
      if (!k.startsWith(prefix)) return false;
      removed.add(byKey.get(k));
      return true;
    });
    Path dir = serverDir(accountId, serverId);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
      DurableFiles.fsyncDirectory(dir.getParent());
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
