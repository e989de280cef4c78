package dev.mcpgateway.store;

import dev.mcpgateway.model.AuditEntry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The embedded store's audit trail: one append-only JSON Lines file per account,
 * {@code <dataDir>/audit/<account>.jsonl}, one entry ({@link AuditEntryJson}) per line.
 *
 * <p>Appends run on the embedded store's {@link SingleWriter}: the line is written whole at the end
 * of the last complete line and fsynced (the directory too when the file is new) before it is
 * acknowledged. Memory holds only an index (id, server, portal, service token or policy id, offset, length) per entry, so it does
 * not grow with the size of the before/after views; a list filters the index and reads just the
 * page's lines, on a worker thread.
 *
 * <p>Crashes: a last line without its newline is what a crash mid-append leaves. It was never
 * acknowledged, so at start it is dropped and the file truncated to the last complete line (a
 * later append must not continue the fragment). A complete line that does not parse is not a torn
 * write: the start fails, naming the file and line.
 */
final class FileAuditLog implements AuditLog {
  private static final System.Logger LOG = System.getLogger(FileAuditLog.class.getName());
  private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String SUFFIX = ".jsonl";
  private static final byte NEWLINE = '\n';

  private record Slot(long id, String serverId, String portalId, String serviceTokenId, String policyId, String actor, long offset, int length) {}

  /** One account's index. Appended by the writer, read by list workers: guarded by itself. */
  private static final class Trail {
    final List<Slot> slots = new ArrayList<>();
    /** One String per server, portal, service token or policy id (and actor), shared by its slots. */
    final Map<String, String> ids = new HashMap<>();
    /** End of the last complete line: where the next append starts. */
    long end;
    long nextId = 1;

    synchronized void add(AuditEntry entry, long offset, int length) {
      slots.add(new Slot(entry.id(), intern(entry.serverId()), intern(entry.portalId()), intern(entry.serviceTokenId()),
          intern(entry.policyId()), intern(entry.actor()), offset, length));
      long id = entry.id();
      end = offset + length + 1;
      nextId = Math.max(nextId, id + 1);
    }

    private String intern(String id) {
      return id == null ? null : ids.computeIfAbsent(id, s -> s);
    }
  }

  private final Path dir;
  private final SingleWriter writer;
  private final Map<String, Trail> trails = new ConcurrentHashMap<>();

  private FileAuditLog(Path dir, SingleWriter writer) {
    this.dir = dir;
    this.writer = writer;
  }

  /** Opens (creating if needed) the trail in {@code dir} and indexes every file. Blocking: on the writer. */
  static FileAuditLog load(Path dir, SingleWriter writer) throws IOException {
    FileAuditLog log = new FileAuditLog(dir, writer);
    DurableFiles.createPrivateDirectory(dir);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String account = name.substring(0, name.length() - SUFFIX.length());
        if (SAFE_SEGMENT.matcher(account).matches()) log.index(account, file);
      }
    }
    return log;
  }

  @Override
  public Future<AuditEntry> append(AuditEntry entry) {
    return writer.write(() -> appendNow(entry));
  }

  @Override
  public Future<AuditPage> list(String accountId, AuditQuery query) {
    // reads only lines the index already holds, which appends never rewrite: no need to queue behind the writer
    return writer.read("audit read", () -> listNow(accountId, query));
  }

  /** Appends {@code entry} under the account's next id and answers it. Blocking: on the writer only. */
  private AuditEntry appendNow(AuditEntry entry) throws IOException {
    String account = entry.accountId();
    Path file = file(account);
    Trail trail = trails.computeIfAbsent(account, a -> new Trail());
    long offset;
    AuditEntry stored;
    synchronized (trail) {
      offset = trail.end;
      stored = entry.withId(trail.nextId);
    }
    byte[] json = AuditEntryJson.encode(stored).encode().getBytes(StandardCharsets.UTF_8);
    ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put(NEWLINE).flip();
    boolean created = !Files.exists(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      if (created) DurableFiles.restrictToOwner(file);
      // bytes past the last complete line are a failed earlier append: never acknowledged, overwritten
      if (channel.size() > offset) channel.truncate(offset);
      long position = offset;
      while (line.hasRemaining()) position += channel.write(line, position);
      channel.force(true);
    }
    if (created) DurableFiles.fsyncDirectory(dir);
    trail.add(stored, offset, json.length);
    return stored;
  }

  /** One page of the account's entries, newest first. Blocking: on a worker. */
  private AuditPage listNow(String accountId, AuditQuery query) throws IOException {
    Trail trail = trails.get(accountId);
    if (trail == null) return new AuditPage(List.of(), 0);
    List<Slot> page = new ArrayList<>();
    long total = 0;
    synchronized (trail) {
      for (int i = trail.slots.size() - 1; i >= 0; i--) {
        Slot slot = trail.slots.get(i);
        if (!query.matches(slot.serverId(), slot.portalId(), slot.serviceTokenId(), slot.policyId(), slot.actor())) continue;
        if (total >= query.offset() && page.size() < query.perPage()) page.add(slot);
        total++;
      }
    }
    List<AuditEntry> entries = new ArrayList<>(page.size());
    if (!page.isEmpty()) {
      try (FileChannel channel = FileChannel.open(file(accountId), StandardOpenOption.READ)) {
        for (Slot slot : page) entries.add(read(channel, slot));
      }
    }
    return new AuditPage(entries, total);
  }

  private static AuditEntry read(FileChannel channel, Slot slot) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(slot.length());
    long position = slot.offset();
    while (bytes.hasRemaining()) {
      int read = channel.read(bytes, position);
      if (read < 0) throw new IOException("audit file shorter than its index");
      position += read;
    }
    return AuditEntryJson.decode(new JsonObject(Buffer.buffer(bytes.array())));
  }

  private Path file(String accountId) {
    if (!SAFE_SEGMENT.matcher(accountId).matches()) throw new IllegalArgumentException("account id is not a safe path segment");
    return dir.resolve(accountId + SUFFIX);
  }

  /** Indexes one account's file line by line, dropping a torn last line. */
  private void index(String account, Path file) throws IOException {
    Trail trail = trails.computeIfAbsent(account, a -> new Trail());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      Buffer line = Buffer.buffer();
      long position = 0;
      long lineStart = 0;
      int lineNumber = 0;
      int read;
      while ((read = channel.read(chunk.clear(), position)) > 0) {
        for (int i = 0; i < read; i++) {
          byte b = chunk.get(i);
          if (b != NEWLINE) {
            line.appendByte(b);
            continue;
          }
          lineNumber++;
          if (line.length() > 0) {
            AuditEntry entry = parse(file, lineNumber, line);
            if (!entry.accountId().equals(account) || entry.id() == null) {
              throw new IllegalStateException("cannot load " + file + ": line " + lineNumber + " is not an entry of account " + account);
            }
            trail.add(entry, lineStart, line.length());
          }
          line = Buffer.buffer();
          lineStart = position + i + 1;
        }
        position += read;
      }
      if (lineStart < position) {
        LOG.log(System.Logger.Level.WARNING, "dropping the unfinished last line of " + file + " (" + (position - lineStart)
            + " bytes, a write interrupted by a crash)");
        channel.truncate(lineStart);
        channel.force(true);
      }
      synchronized (trail) {
        trail.end = lineStart;
      }
    }
  }

  private static AuditEntry parse(Path file, int lineNumber, Buffer line) {
    try {
      return AuditEntryJson.decode(new JsonObject(line));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot load " + file + ": line " + lineNumber + " is not an audit entry: " + e.getMessage(), e);
    }
  }
}
