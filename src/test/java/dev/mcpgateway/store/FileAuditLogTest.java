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

/** The audit contract against the embedded store, and what is particular to its JSON Lines files. */
class FileAuditLogTest extends AuditLogContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> open() {
    return FileStores.open(vertx, dataDir);
  }

  @Test
  void theAuditTrailIsOneOwnerOnlyJsonLinesFilePerAccount() throws Exception {
    AuditEntry first = result(log().append(audit("acme", "a", AuditEntry.Action.CREATE, 1)));
    AuditEntry second = result(log().append(audit("acme", "b", AuditEntry.Action.UPDATE, 2)));
    result(log().append(audit("globex", "a", AuditEntry.Action.CREATE, 3)));
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
    result(log().append(audit("acme", "a", AuditEntry.Action.CREATE, 1)));
    AuditEntry kept = result(log().append(audit("acme", "a", AuditEntry.Action.UPDATE, 2)));
    result(stores.close());
    Path file = dataDir.resolve("audit/acme.jsonl");
    long complete = Files.size(file);
    // a crash in the middle of an append: part of a line, no newline
    Files.writeString(file, "{\"format\":1,\"id\":3,\"account_id\":\"acme\",\"serv", StandardOpenOption.APPEND);
    stores = result(open());
    assertEquals(complete, Files.size(file), "the fragment is cut off at start");
    AuditPage page = result(log().list("acme", new AuditQuery(1, 25, null)));
    assertEquals(2, page.totalCount());
    assertEquals(kept, page.items().get(0));
    AuditEntry next = result(log().append(audit("acme", "a", AuditEntry.Action.DELETE, 3)));
    reopen();
    assertEquals(List.of(next, kept), result(log().list("acme", new AuditQuery(1, 2, null))).items());
    assertEquals(3, Files.readAllLines(file).size());
  }

  @Test
  void linesWrittenBeforePortalEntriesExistedStillReadAsServerEntries() throws Exception {
    result(stores.close());
    Files.createDirectories(dataDir.resolve("audit"));
    // exactly what the gateway wrote before audit format 2 (no portal_id)
    Files.writeString(dataDir.resolve("audit/acme.jsonl"), "{\"format\":1,\"id\":1,\"account_id\":\"acme\",\"server_id\":\"old\","
        + "\"action\":\"create\",\"actor\":\"bot\",\"at\":\"2025-12-01T00:00:00Z\",\"before\":null,\"after\":{\"id\":\"old\"}}\n");
    stores = result(open());
    AuditEntry old = new AuditEntry(1L, "acme", "old", AuditEntry.Action.CREATE, "bot", java.time.Instant.parse("2025-12-01T00:00:00Z"),
        null, new JsonObject().put("id", "old"));
    assertEquals(List.of(old), result(log().list("acme", new AuditQuery(1, 25, "old"))).items());
    AuditEntry portal = result(log().append(portalAudit("acme", "p", AuditEntry.Action.CREATE, 1)));
    assertEquals(2L, portal.id());
    List<String> lines = Files.readAllLines(dataDir.resolve("audit/acme.jsonl"));
    assertEquals(2, new JsonObject(lines.get(1)).getInteger("format"));
    assertEquals("p", new JsonObject(lines.get(1)).getString("portal_id"));
    reopen();
    assertEquals(List.of(portal, old), result(log().list("acme", new AuditQuery(1, 25, null))).items());
    assertEquals(List.of(portal), result(log().list("acme", new AuditQuery(1, 25, null, "p"))).items());
  }

  @Test
  void onlyServiceTokenEntriesAreWrittenAsFormat3() throws Exception {
    result(log().append(audit("acme", "a", AuditEntry.Action.CREATE, 1)));
    result(log().append(portalAudit("acme", "p", AuditEntry.Action.CREATE, 2)));
    result(log().append(tokenAudit("acme", "0b6f0d1e-3c1a-4f6e-9a51-5d3f0e2a7c01", AuditEntry.Action.ROTATE, 3)));
    List<Integer> formats = Files.readAllLines(dataDir.resolve("audit/acme.jsonl")).stream()
        .map(l -> new JsonObject(l).getInteger("format")).toList();
    assertEquals(List.of(2, 2, 3), formats, "a gateway that predates service tokens still starts on a trail without any");
  }

  @Test
  void onlyPolicyEntriesAreWrittenAsFormat4() throws Exception {
    String policy = "5d1c6a2e-7b3f-4c8d-9e0a-1f2b3c4d5e6f";
    result(log().append(audit("acme", "a", AuditEntry.Action.CREATE, 1)));
    result(log().append(portalAudit("acme", "p", AuditEntry.Action.CREATE, 2)));
    result(log().append(tokenAudit("acme", "0b6f0d1e-3c1a-4f6e-9a51-5d3f0e2a7c01", AuditEntry.Action.ROTATE, 3)));
    result(log().append(policyAudit("acme", policy, AuditEntry.Action.UPDATE, 4)));
    List<JsonObject> lines = Files.readAllLines(dataDir.resolve("audit/acme.jsonl")).stream().map(JsonObject::new).toList();
    assertEquals(List.of(2, 2, 3, 4), lines.stream().map(l -> l.getInteger("format")).toList(),
        "a gateway that predates policy entries still starts on a trail without any");
    assertEquals(policy, lines.get(3).getString("policy_id"));
    assertFalse(lines.get(2).containsKey("policy_id"), "only a policy entry carries the field");
    assertFalse(lines.get(0).containsKey("policy_id"));
  }

  @Test
  void aLineOfAFormatFromTheFutureStopsTheStart() throws Exception {
    result(log().append(policyAudit("acme", "5d1c6a2e-7b3f-4c8d-9e0a-1f2b3c4d5e6f", AuditEntry.Action.CREATE, 1)));
    result(stores.close());
    Path file = dataDir.resolve("audit/acme.jsonl");
    String line = Files.readString(file).strip();
    Files.writeString(file, new JsonObject(line).put("format", 5).encode() + "\n");
    Throwable failure = failure(open());
    assertTrue(failure.getMessage().contains("acme.jsonl"), failure.getMessage());
    stores = result(FileStores.open(vertx, dataDir.resolve("elsewhere")));
  }

  @Test
  void aCorruptCompleteAuditLineStopsTheStartLoudlyNamingTheFile() throws Exception {
    result(log().append(audit("acme", "a", AuditEntry.Action.CREATE, 1)));
    result(stores.close());
    Files.writeString(dataDir.resolve("audit/acme.jsonl"), "{not json}\n", StandardOpenOption.APPEND);
    Throwable failure = failure(open());
    assertTrue(failure.getMessage().contains("acme.jsonl") && failure.getMessage().contains("line 2"), failure.getMessage());
    stores = result(FileStores.open(vertx, dataDir.resolve("elsewhere")));
  }

  @Test
  void unsafeAccountIdsNeverReachTheFilesystemThroughTheAuditTrail() {
    assertInstanceOf(IllegalArgumentException.class, failure(log().append(audit("../../etc", "x", AuditEntry.Action.CREATE, 1))));
    assertFalse(Files.exists(dataDir.resolve("etc.jsonl")));
    assertEquals(0, result(log().list("../../etc", new AuditQuery(1, 25, null))).totalCount());
  }
}
