package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.Await;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The revocations contract against the embedded store, and what is particular to its files. */
class FileSessionRevocationsTest extends SessionRevocationsContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> open() {
    return FileStores.open(vertx, dataDir);
  }

  @Test
  void oneOwnerOnlyFilePerRevocationNamedByItsKeyWithoutTheSessionId() throws Exception {
    result(revocations().revoke(ONE, LATER));
    Path file = dataDir.resolve("session-revocations/" + ONE + ".json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("session-revocations"))));
    String text = Files.readString(file);
    assertTrue(text.contains("\"expires_at\":\"" + LATER + "\""), text);
    assertFalse(text.contains("session-one"), "the session id itself is never written");
    result(revocations().purgeExpired(LATER));
    assertFalse(Files.exists(file), "purged: no file");
  }

  @Test
  void aLeftoverTempFileIsDeletedAndACorruptFileStopsTheStart() throws Exception {
    result(revocations().revoke(ONE, LATER));
    result(stores.close());
    Path temp = dataDir.resolve("session-revocations/." + TWO + ".json.tmp");
    Files.writeString(temp, "{\"session_ke");
    stores = result(open());
    assertFalse(Files.exists(temp));
    assertEquals(Map.of(ONE, LATER), result(revocations().active(NOW)));
    result(stores.close());
    Files.writeString(dataDir.resolve("session-revocations/" + TWO + ".json"), "{\"session_key\":\"" + ONE + "\",\"expires_at\":\"" + LATER + "\"}");
    Throwable refused = Await.failure(open());
    assertInstanceOf(IllegalStateException.class, refused);
    assertTrue(refused.getMessage().contains(TWO), refused.getMessage());
    stores = result(FileStores.open(vertx, dataDir.resolve("elsewhere")));
  }
}
