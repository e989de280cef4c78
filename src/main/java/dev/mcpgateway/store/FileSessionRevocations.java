package dev.mcpgateway.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The embedded store's session revocations: one owner-only file per revoked session under
 * {@code <dataDir>/session-revocations/<session key>.json} ({@code {"session_key", "expires_at":
 * ISO-8601}}), written atomically on the embedded store's {@link SingleWriter} before the revoke is
 * acknowledged, so a revocation survives a restart or a crash; all held in memory for reads. The key
 * is already a hash, so it is the file's name as it is.
 */
final class FileSessionRevocations implements SessionRevocations {
  private static final String SUFFIX = ".json";
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path root;
  private final SingleWriter writer;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  private FileSessionRevocations(Path root, SingleWriter writer) {
    this.root = root;
    this.writer = writer;
  }

  /** Loads every revocation under {@code root} (blocking: on the writer). */
  static FileSessionRevocations load(Path root, SingleWriter writer) throws IOException {
    FileSessionRevocations revocations = new FileSessionRevocations(root, writer);
    revocations.load();
    return revocations;
  }

  @Override
  public Future<Void> revoke(String sessionKey, Instant expiresAt) {
    if (!SessionRevocations.isKey(sessionKey)) return Future.failedFuture(new IllegalArgumentException("not a session key"));
    return writer.<Void>write(() -> {
      Instant current = revoked.get(sessionKey);
      if (current == null || current.isBefore(expiresAt)) write(sessionKey, expiresAt);
      return null;
    }).onSuccess(v -> listeners.forEach(l -> l.accept(sessionKey)));
  }

  @Override
  public Future<Map<String, Instant>> active(Instant now) {
    return writer.answer(revoked.entrySet().stream().filter(e -> e.getValue().isAfter(now))
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  @Override
  public Future<Integer> purgeExpired(Instant now) {
    return writer.write(() -> {
      int removed = 0;
      for (Map.Entry<String, Instant> entry : List.copyOf(revoked.entrySet())) {
        if (entry.getValue().isAfter(now)) continue;
        Files.deleteIfExists(root.resolve(entry.getKey() + SUFFIX));
        revoked.remove(entry.getKey());
        removed++;
      }
      if (removed > 0) DurableFiles.fsyncDirectory(root);
      return removed;
    });
  }

  @Override
  public void onRevoked(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Blocking: on the writer. Memory follows the disk. */
  private void write(String key, Instant expiresAt) throws IOException {
    if (!Files.isDirectory(root)) {
      DurableFiles.createPrivateDirectory(root);
      DurableFiles.fsyncDirectory(root.getParent());
    }
    JsonObject json = new JsonObject().put("session_key", key).put("expires_at", expiresAt.toString());
    DurableFiles.writeAtomically(root, key + SUFFIX, json.toBuffer().getBytes(), TEMP_SUFFIX);
    revoked.put(key, expiresAt);
  }

  private void load() throws IOException {
    if (!Files.isDirectory(root)) return;
    try (Stream<Path> files = Files.list(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
          Files.deleteIfExists(file); // a write cut short by a crash: never acknowledged
          continue;
        }
        if (!name.endsWith(SUFFIX)) continue;
        String key;
        Instant expiresAt;
        try {
          JsonObject json = new JsonObject(Files.readString(file));
          key = json.getString("session_key");
          expiresAt = Instant.parse(json.getString("expires_at"));
        } catch (RuntimeException e) {
          throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
        }
        if (!SessionRevocations.isKey(key) || !name.equals(key + SUFFIX)) {
          throw new IllegalStateException("cannot load " + file + ": it holds the revocation of another session");
        }
        revoked.put(key, expiresAt);
      }
    }
  }
}
