package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mcpgateway.model.UserConnection;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user-connection contract against the embedded store, and what is particular to its files. */
class FileUserConnectionsTest extends UserConnectionsContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> open() {
    return FileStores.open(vertx, dataDir);
  }

  @Test
  void aConnectionIsAnOwnerOnlyFileNamedByTheHashOfItsUser() throws Exception {
    result(users().update("acme", "s1", "alice@example.com", current -> UserConnection.empty("acme", "s1", "alice@example.com")));
    Path file = dataDir.resolve("oauth-users/acme/s1/" + TokenHash.sha256Hex("alice@example.com") + ".json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("oauth-users"))));
    result(users().deleteAll("acme", "s1"));
    assertFalse(Files.exists(dataDir.resolve("oauth-users/acme/s1")), "a forgotten server's directory goes with its users");
  }

  @Test
  void aLeftoverTempFileFromACrashedWriteIsDroppedNotLoaded() throws Exception {
    UserConnection alice = UserConnection.empty("acme", "s1", "alice");
    result(users().update("acme", "s1", "alice", current -> alice));
    Path dir = dataDir.resolve("oauth-users/acme/s1");
    // a crash after writing the temp file but before the rename: a torn, partial document
    Path torn = dir.resolve("." + TokenHash.sha256Hex("alice") + ".json.tmp");
    Files.writeString(torn, "{\"account_id\":\"acme\",\"server_id\":\"s1\",\"subj");
    reopen();
    assertEquals(alice, result(users().get("acme", "s1", "alice")));
    assertNull(result(users().get("acme", "s1", "mallory")));
    assertFalse(Files.exists(torn));
  }
}
