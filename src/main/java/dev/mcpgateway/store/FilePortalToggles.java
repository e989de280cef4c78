package dev.mcpgateway.store;

import dev.mcpgateway.model.ToggleKey;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The embedded store's portal toggles: one owner-only file per (portal, holder) under
 * {@code <dataDir>/portal-toggles/<account>/<portal>/<sha256 of the holder>.json}
 * ({@code {"account_id", "portal_id", "holder", "off": [server ids], "expires_at": ISO-8601 or null}}),
 * written atomically on the embedded store's {@link SingleWriter}, all held in memory for reads.
 * A switch checks its portal exists in the same writer task ({@link FilePortalStore#exists}); a
 * portal's delete removes its directory first ({@link FilePortalStore.Dependent}). At start, entries
 * of portals that no longer exist are deleted, never loaded.
 */
final class FilePortalToggles implements PortalToggles {
  private static final System.Logger LOG = System.getLogger(FilePortalToggles.class.getName());
  private static final String SUFFIX = ".json";
  private static final String TEMP_SUFFIX = ".tmp";

  private record Entry(ToggleKey key, Set<String> off, Instant expiresAt) {
    boolean expired(Instant now) {
      return expiresAt != null && !expiresAt.isAfter(now);
    }

    JsonObject toJson() {
      return new JsonObject().put("account_id", key.accountId()).put("portal_id", key.portalId()).put("holder", key.holder())
          .put("off", new JsonArray(List.copyOf(off))).put("expires_at", expiresAt == null ? null : expiresAt.toString());
    }

    static Entry fromJson(JsonObject json) {
      Set<String> off = new TreeSet<>();
      json.getJsonArray("off").forEach(id -> off.add((String) id));
      String expires = json.getString("expires_at");
      return new Entry(new ToggleKey(json.getString("account_id"), json.getString("portal_id"), json.getString("holder")),
          Collections.unmodifiableSet(off), expires == null ? null : Instant.parse(expires));
    }
  }

  private final Path root;
  private final SingleWriter writer;
  private final FilePortalStore portals;
  private final Map<ToggleKey, Entry> entries = new ConcurrentHashMap<>();
  private final List<Consumer<ToggleKey>> listeners = new CopyOnWriteArrayList<>();

  private FilePortalToggles(Path root, SingleWriter writer, FilePortalStore portals) {
    this.root = root;
    this.writer = writer;
    this.portals = portals;
  }

  /** Loads every entry under {@code root}, after the portals (blocking: on the writer), and follows portal deletes. */
  static FilePortalToggles load(Path root, SingleWriter writer, FilePortalStore portals) throws IOException {
    FilePortalToggles toggles = new FilePortalToggles(root, writer, portals);
    toggles.load();
    portals.addDependent(toggles::portalDeleted);
    return toggles;
  }

  @Override
  public void onChange(Consumer<ToggleKey> listener) {
    listeners.add(listener);
  }

  private <T> T changed(ToggleKey key, T result) {
    listeners.forEach(l -> l.accept(key));
    return result;
  }

  @Override
  public Future<Set<String>> off(String accountId, String portalId, String holder, Instant now) {
    Entry entry = entries.get(new ToggleKey(accountId, portalId, holder));
    return writer.answer(entry == null || entry.expired(now) ? Set.of() : entry.off());
  }

  @Override
  public Future<Set<String>> set(String accountId, String portalId, String holder, String serverId, boolean on, Instant expiresAt) {
    ToggleKey key = new ToggleKey(accountId, portalId, holder);
    return writer.write(() -> {
      if (!portals.exists(accountId, portalId)) throw new PortalNotFoundException(accountId, portalId);
      Entry current = entries.get(key);
      Set<String> off = new TreeSet<>(current == null ? Set.of() : current.off());
      if (on) off.remove(serverId);
      else off.add(serverId);
      Entry next = new Entry(key, Collections.unmodifiableSet(off), expiresAt);
      if (off.isEmpty()) remove(key);
      else write(next);
      return next.off();
    }).map(off -> changed(key, off));
  }

  @Override
  public Future<Void> reset(String accountId, String portalId, String holder) {
    ToggleKey key = new ToggleKey(accountId, portalId, holder);
    return writer.<Void>write(() -> {
      remove(key);
      return null;
    }).map(v -> changed(key, v));
  }

  @Override
  public Future<Integer> purgeExpired(Instant now) {
    return writer.write(() -> {
      int removed = 0;
      for (Entry entry : List.copyOf(entries.values())) {
        if (!entry.expired(now)) continue;
        remove(entry.key());
        removed++;
      }
      return removed;
    });
  }

  /** A portal's delete: its directory and entries go. On the writer. */
  private void portalDeleted(String accountId, String portalId) throws IOException {
    Path dir = portalDir(accountId, portalId);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
      DurableFiles.fsyncDirectory(dir.getParent());
    }
    entries.keySet().removeIf(k -> k.accountId().equals(accountId) && k.portalId().equals(portalId));
  }

  /** Blocking: on the writer. Memory follows the disk. */
  private void write(Entry entry) throws IOException {
    Path dir = portalDir(entry.key().accountId(), entry.key().portalId());
    if (!Files.isDirectory(dir)) {
      DurableFiles.createPrivateDirectory(root);
      DurableFiles.createPrivateDirectory(dir.getParent());
      DurableFiles.createPrivateDirectory(dir);
      DurableFiles.fsyncDirectory(dir.getParent());
    }
    DurableFiles.writeAtomically(dir, fileName(entry.key()), entry.toJson().toBuffer().getBytes(), TEMP_SUFFIX);
    entries.put(entry.key(), entry);
  }

  /** Blocking: on the writer. */
  private void remove(ToggleKey key) throws IOException {
    Path dir = portalDir(key.accountId(), key.portalId());
    if (Files.deleteIfExists(dir.resolve(fileName(key)))) DurableFiles.fsyncDirectory(dir);
    entries.remove(key);
  }

  private void load() throws IOException {
    if (!Files.isDirectory(root)) return;
    try (Stream<Path> files = Files.walk(root, 3)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
          Files.deleteIfExists(file); // a write cut short by a crash: the previous version stands
          continue;
        }
        if (!name.endsWith(SUFFIX)) continue;
        Entry entry;
        try {
          entry = Entry.fromJson(new JsonObject(Files.readString(file)));
        } catch (RuntimeException e) {
          throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
        }
        if (!file.equals(portalDir(entry.key().accountId(), entry.key().portalId()).resolve(fileName(entry.key())))) {
          throw new IllegalStateException("cannot load " + file + ": it holds toggles of another portal or holder");
        }
        if (!portals.exists(entry.key().accountId(), entry.key().portalId())) {
          // a portal file removed by hand: its toggles go with it
          LOG.log(System.Logger.Level.INFO, "deleting toggles of a portal that does not exist: " + file);
          Files.deleteIfExists(file);
          continue;
        }
        entries.put(entry.key(), entry);
      }
    }
  }

  private Path portalDir(String accountId, String portalId) {
    return root.resolve(FileServerStore.safeSegment(accountId)).resolve(FileServerStore.safeSegment(portalId));
  }

  private static String fileName(ToggleKey key) {
    return TokenHash.sha256Hex(key.holder()) + SUFFIX;
  }
}
