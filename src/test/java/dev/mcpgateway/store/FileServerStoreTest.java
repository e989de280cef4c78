package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server contract against the embedded store, and what is particular to its files. */
class FileServerStoreTest extends ServerStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> open() {
    return FileStores.open(vertx, dataDir);
  }

  @Test
  void aLeftoverTempFileFromACrashedWriteIsIgnoredNotLoaded() throws Exception {
    result(store().create(server("acme", "real")));
    Path accountDir = dataDir.resolve("servers/acme");
    // a crash after writing the temp file but before the rename: a torn, partial document
    Files.writeString(accountDir.resolve(".real.json.tmp"), "{\"format\":1,\"account_id\":\"acme\",\"id\":\"real\",\"na");
    Files.writeString(accountDir.resolve(".ghost.json.tmp"), "{\"format\":1,\"account_id\":\"acme\",\"id\":\"gho");
    reopen();
    assertEquals("Server real", result(store().get("acme", "real")).name());
    assertInstanceOf(ServerNotFoundException.class, failure(store().get("acme", "ghost")));
    assertFalse(Files.exists(accountDir.resolve(".ghost.json.tmp")));
  }

  @Test
  void serverFilesAreOwnerOnly() throws Exception {
    result(store().create(server("acme", "private")));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("servers"))));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dataDir.resolve("servers/acme/private.json"))));
  }

  @Test
  void aCorruptServerFileStopsTheStartLoudlyNamingTheFile() throws Exception {
    result(store().create(server("acme", "fine")));
    result(stores.close());
    Files.writeString(dataDir.resolve("servers/acme/broken.json"), "{not json");
    Throwable failure = failure(open());
    assertTrue(failure.getMessage().contains("broken.json"), failure.getMessage());
    stores = result(FileStores.open(vertx, dataDir.resolve("elsewhere")));
  }

  @Test
  void unsafeAccountIdsNeverReachTheFilesystem() {
    assertInstanceOf(IllegalArgumentException.class, failure(store().create(server("../../etc", "x"))));
    assertFalse(Files.exists(dataDir.resolve("etc")));
  }
}
