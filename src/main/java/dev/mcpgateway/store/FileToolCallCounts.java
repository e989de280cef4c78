package dev.mcpgateway.store;

import dev.mcpgateway.model.ToolCallKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * The embedded store's tool-call counts: one owner-only file per account and UTC day,
 * {@code <dataDir>/tool-calls/<account>/<YYYY-MM-DD>.json} ({@code {"account_id", "day", "counts":
 * [{"bucket", "server_id", "portal_id"?, "tool", "count"}]}}), replaced atomically on the
 * {@link SingleWriter} with the batch added, so a day's counts survive a restart or a crash whole
 * (the old or the new file, never a torn one). A file holds at most a day's quarter hours of the
 * account's tools, and retention bounds the number of days; all of it is held in memory for reads.
 */
final class FileToolCallCounts implements ToolCallCounts {
  private static final String SUFFIX = ".json";
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path root;
  private final SingleWriter writer;
  /** account → UTC day → its counts; each day's map is immutable and replaced whole, after its file. */
  private final Map<String, NavigableMap<LocalDate, Map<ToolCallKey, Long>>> days = new ConcurrentHashMap<>();

  private FileToolCallCounts(Path root, SingleWriter writer) {
    this.root = root;
    this.writer = writer;
  }

  /** Loads every day file under {@code root} (blocking: on the writer). */
  static FileToolCallCounts load(Path root, SingleWriter writer) throws IOException {
    FileToolCallCounts counts = new FileToolCallCounts(root, writer);
    counts.load();
    return counts;
  }

  @Override
  public Future<Void> add(Map<ToolCallKey, Long> counts) {
    for (Map.Entry<ToolCallKey, Long> entry : counts.entrySet()) {
      if (entry.getValue() <= 0) return Future.failedFuture(new IllegalArgumentException("counts must be positive: " + entry));
      if (!AccountDocuments.SAFE_SEGMENT.matcher(entry.getKey().accountId()).matches()) {
        return Future.failedFuture(new IllegalArgumentException("account id is not a safe path segment"));
      }
    }
    Map<String, Map<LocalDate, Map<ToolCallKey, Long>>> grouped = new TreeMap<>();
    counts.forEach((key, count) -> grouped.computeIfAbsent(key.accountId(), a -> new TreeMap<>())
        .computeIfAbsent(day(key.bucket()), d -> new HashMap<>()).put(key, count));
    return writer.write(() -> {
      for (Map.Entry<String, Map<LocalDate, Map<ToolCallKey, Long>>> account : grouped.entrySet()) {
        for (Map.Entry<LocalDate, Map<ToolCallKey, Long>> day : account.getValue().entrySet()) {
          Map<ToolCallKey, Long> merged = new HashMap<>(stored(account.getKey(), day.getKey()));
          day.getValue().forEach((key, count) -> merged.merge(key, count, Long::sum));
          write(account.getKey(), day.getKey(), merged);
        }
      }
      return null;
    });
  }

  @Override
  public Future<Map<ToolCallKey, Long>> read(ToolCallQuery query) {
    Map<ToolCallKey, Long> found = new HashMap<>();
    NavigableMap<LocalDate, Map<ToolCallKey, Long>> account = days.get(query.accountId());
    if (account != null && query.from().isBefore(query.to())) {
      for (Map<ToolCallKey, Long> day : account.subMap(day(query.from()), true, day(query.to()), true).values()) {
        day.forEach((key, count) -> {
          if (key.bucket().isBefore(query.from()) || !key.bucket().isBefore(query.to())) return;
          if (query.serverId() != null && !query.serverId().equals(key.serverId())) return;
          if (query.portalId() != null && !query.portalId().equals(key.portalId())) return;
          found.put(key, count);
        });
      }
    }
    return writer.answer(Map.copyOf(found));
  }

  @Override
  public Future<Integer> purgeBefore(Instant cutoff) {
    LocalDate cutoffDay = day(cutoff);
    return writer.write(() -> {
      int removed = 0;
      for (Map.Entry<String, NavigableMap<LocalDate, Map<ToolCallKey, Long>>> account : days.entrySet()) {
        for (Map.Entry<LocalDate, Map<ToolCallKey, Long>> day : List.copyOf(account.getValue().headMap(cutoffDay, true).entrySet())) {
          Map<ToolCallKey, Long> kept = new HashMap<>(day.getValue());
          kept.keySet().removeIf(key -> key.bucket().isBefore(cutoff));
          if (kept.size() == day.getValue().size()) continue;
          removed += day.getValue().size() - kept.size();
          write(account.getKey(), day.getKey(), kept);
        }
      }
      return removed;
    });
  }

  private Map<ToolCallKey, Long> stored(String account, LocalDate day) {
    NavigableMap<LocalDate, Map<ToolCallKey, Long>> byDay = days.get(account);
    Map<ToolCallKey, Long> counts = byDay == null ? null : byDay.get(day);
    return counts == null ? Map.of() : counts;
  }

  /** Blocking: on the writer. Replaces (or, when empty, removes) the day's file; memory follows the disk. */
  private void write(String account, LocalDate day, Map<ToolCallKey, Long> counts) throws IOException {
    Path dir = root.resolve(account);
    String name = day + SUFFIX;
    if (counts.isEmpty()) {
      Files.deleteIfExists(dir.resolve(name));
      DurableFiles.fsyncDirectory(dir);
      NavigableMap<LocalDate, Map<ToolCallKey, Long>> byDay = days.get(account);
      if (byDay != null) byDay.remove(day);
      return;
    }
    if (!Files.isDirectory(dir)) {
      boolean rootExisted = Files.isDirectory(root);
      DurableFiles.createPrivateDirectory(dir);
      DurableFiles.fsyncDirectory(root);
      if (!rootExisted) DurableFiles.fsyncDirectory(root.getParent());
    }
    JsonArray rows = new JsonArray();
    counts.keySet().stream().sorted(ToolCallKey.ORDER).forEach(key -> {
      JsonObject row = new JsonObject().put("bucket", key.bucket().toString()).put("server_id", key.serverId());
      if (key.portalId() != null) row.put("portal_id", key.portalId());
      rows.add(row.put("tool", key.tool()).put("count", counts.get(key)));
    });
    JsonObject json = new JsonObject().put("account_id", account).put("day", day.toString()).put("counts", rows);
    DurableFiles.writeAtomically(dir, name, json.toBuffer().getBytes(), TEMP_SUFFIX);
    days.computeIfAbsent(account, a -> new ConcurrentSkipListMap<>()).put(day, Map.copyOf(counts));
  }

  private void load() throws IOException {
    if (!Files.isDirectory(root)) return;
    try (Stream<Path> accounts = Files.list(root)) {
      for (Path dir : accounts.filter(Files::isDirectory).toList()) {
        String account = dir.getFileName().toString();
        try (Stream<Path> files = Files.list(dir)) {
          for (Path file : files.filter(Files::isRegularFile).toList()) loadDay(account, file);
        }
      }
    }
  }

  private void loadDay(String account, Path file) throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(TEMP_SUFFIX)) {
      Files.deleteIfExists(file); // a write cut short by a crash: never acknowledged
      return;
    }
    if (!name.endsWith(SUFFIX)) return;
    Map<ToolCallKey, Long> counts = new HashMap<>();
    LocalDate day;
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      day = LocalDate.parse(json.getString("day"));
      if (!account.equals(json.getString("account_id")) || !name.equals(day + SUFFIX)) throw new IllegalArgumentException("it is not its path's");
      for (Object item : json.getJsonArray("counts")) {
        JsonObject row = (JsonObject) item;
        ToolCallKey key = new ToolCallKey(account, Instant.parse(row.getString("bucket")), row.getString("server_id"),
            row.getString("portal_id"), row.getString("tool"));
        if (!day(key.bucket()).equals(day)) throw new IllegalArgumentException("a count of another day");
        counts.put(key, row.getLong("count"));
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
    }
    days.computeIfAbsent(account, a -> new ConcurrentSkipListMap<>()).put(day, Map.copyOf(counts));
  }

  private static LocalDate day(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }
}
