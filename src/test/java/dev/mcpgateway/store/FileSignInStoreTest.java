package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authorization server's store contract against the embedded store, and what is particular to its files. */
class FileSignInStoreTest extends SignInStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> open() {
    return FileStores.open(vertx, dataDir);
  }

  @Test
  void oneOwnerOnlyFilePerGrantHoldingHashesNeverValues() throws Exception {
    result(store().openGrant(grant("g1"), code("code-value-1", "g1")));
    Path file = dataDir.resolve("sign-in/grants/g1.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("sign-in/grants"))));
    String text = Files.readString(file);
    assertTrue(text.contains(TokenHash.sha256Hex("code-value-1")), text);
    assertFalse(text.contains("\"code-value-1\""), "the code itself is never written");
    result(store().purgeExpired(NOW.plusSeconds(3600)));
    assertFalse(Files.exists(file), "purged: no file");
  }
}
