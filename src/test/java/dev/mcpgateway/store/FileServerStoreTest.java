package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.AuditEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileServerStoreTest extends ServerStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<ServerStore> open() {
    return FileServerStore.open(vertx, dataDir).map(s -> s);
  }

  @Test
  void aLeftoverTempFileFromACrashedWriteIsIgnoredNotLoaded() throws Exception {
    result(store.create(server("acme", "real")));
    Path accountDir = dataDir.resolve("servers/acme");
    // a crash after writing the temp file but before the rename: a torn, partial document
    Files.writeString(accountDir.resolve(".real.json.tmp"), "{\"format\":1,\"account_id\":\"acme\",\"id\":\"real\",\"na");
    Files.writeString(accountDir.resolve(".ghost.json.tmp"), "{\"format\":1,\"account_id\":\"acme\",\"id\":\"gho");
    result(store.close());
    store = result(open());
    assertEquals("Server real", result(store.get("acme", "real")).name());
    assertInstanceOf(ServerNotFoundException.class, failure(store.get("acme", "ghost")));
    assertFalse(Files.exists(accountDir.resolve(".ghost.json.tmp")));
  }

  @Test
  void serverFilesAreOwnerOnly() throws Exception {
    result(store.create(server("acme", "private")));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("servers"))));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dataDir.resolve("servers/acme/private.json"))));
  }

  @Test
  void aCorruptServerFileStopsTheStartLoudlyNamingTheFile() throws Exception {
    result(store.create(server("acme", "fine")));
    result(store.close());
    Files.writeString(dataDir.resolve("servers/acme/broken.json"), "{not json");
    Throwable failure = failure(open());
    assertTrue(failure.getMessage().contains("broken.json"), failure.getMessage());
    store = result(FileServerStore.open(vertx, dataDir.resolve("elsewhere")));
  }

  @Test
  void unsafeAccountIdsNeverReachTheFilesystem() {
    assertInstanceOf(IllegalArgumentException.class, failure(store.create(server("../../etc", "x"))));
    assertFalse(Files.exists(dataDir.resolve("etc")));
  }

  @Test
  void theAuditTrailIsOneOwnerOnlyJsonLinesFilePerAccount() throws Exception {
    AuditEntry first = result(store.appendAudit(audit("acme", "a", AuditEntry.Action.CREATE, 1)));
    AuditEntry second = result(store.appendAudit(audit("acme", "b", AuditEntry.Action.UPDATE, 2)));
    result(store.appendAudit(audit("globex", "a", AuditEntry.Action.CREATE, 3)));
    Path acme = dataDir.resolve("audit/acme.jsonl");
    List<String> lines = Files.readAllLines(acme);
    assertEquals(2, lines.size());
    assertEquals(first.id(), new JsonObject(lines.get(0)).getLong("id"));
    assertEquals("update", new JsonObject(lines.get(1)).getString("action"));
    assertEquals(second.id(), new JsonObject(lines.get(1)).getLong("id"));
    assertTrue(Files.readString(acme).endsWith("\n"));
    assertEquals(1, Files.readAllLines(dataDir.resolve("audit/globex.jsonl")).size());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("audit"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(acme)));
  }

  @Test
  void aTornLastAuditLineIsDroppedAndTheNextAppendStartsOnAFreshLine() throws Exception {
    result(store.appendAudit(audit("acme", "a", AuditEntry.Action.CREATE, 1)));
    AuditEntry kept = result(store.appendAudit(audit("acme", "a", AuditEntry.Action.UPDATE, 2)));
    result(store.close());
    Path file = dataDir.resolve("audit/acme.jsonl");
    long complete = Files.size(file);
    // a crash in the middle of an append: part of a line, no newline
    Files.writeString(file, "{\"format\":1,\"id\":3,\"account_id\":\"acme\",\"serv", StandardOpenOption.APPEND);
    store = result(open());
    assertEquals(complete, Files.size(file), "the fragment is cut off at start");
    AuditPage page = result(store.listAudit("acme", new AuditQuery(1, 25, null)));
    assertEquals(2, page.totalCount());
    assertEquals(kept, page.items().get(0));
    AuditEntry next = result(store.appendAudit(audit("acme", "a", AuditEntry.Action.DELETE, 3)));
    result(store.close());
    store = result(open());
    assertEquals(List.of(next, kept), result(store.listAudit("acme", new AuditQuery(1, 2, null))).items());
    assertEquals(3, Files.readAllLines(file).size());
  }

  @Test
  void aCorruptCompleteAuditLineStopsTheStartLoudlyNamingTheFile() throws Exception {
    result(store.appendAudit(audit("acme", "a", AuditEntry.Action.CREATE, 1)));
    result(store.close());
    Files.writeString(dataDir.resolve("audit/acme.jsonl"), "{not json}\n", StandardOpenOption.APPEND);
    Throwable failure = failure(open());
    assertTrue(failure.getMessage().contains("acme.jsonl") && failure.getMessage().contains("line 2"), failure.getMessage());
    store = result(FileServerStore.open(vertx, dataDir.resolve("elsewhere")));
  }

  @Test
  void unsafeAccountIdsNeverReachTheFilesystemThroughTheAuditTrail() {
    assertInstanceOf(IllegalArgumentException.class, failure(store.appendAudit(audit("../../etc", "x", AuditEntry.Action.CREATE, 1))));
    assertFalse(Files.exists(dataDir.resolve("etc.jsonl")));
    assertEquals(0, result(store.listAudit("../../etc", new AuditQuery(1, 25, null))).totalCount());
  }
}
