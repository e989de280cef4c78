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

/** The portal contract against the embedded store, and what is particular to its files. */
class FilePortalStoreTest extends PortalStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> open() {
    return FileStores.open(vertx, dataDir);
  }

  @Test
  void aLeftoverTempFileFromACrashedWriteIsDeletedNotLoaded() throws Exception {
    result(portals().create(portal("acme", "real", "real.example")));
    Path accountDir = dataDir.resolve("portals/acme");
    Files.writeString(accountDir.resolve(".real.json.tmp"), "{\"account_id\":\"acme\",\"id\":\"real\",\"na");
    Files.writeString(accountDir.resolve(".ghost.json.tmp"), "{\"account_id\":\"acme\",\"id\":\"gho");
    reopen();
    assertEquals("Portal real", result(portals().get("acme", "real")).name());
    assertInstanceOf(PortalNotFoundException.class, failure(portals().get("acme", "ghost")));
    assertFalse(Files.exists(accountDir.resolve(".ghost.json.tmp")));
    assertFalse(Files.exists(accountDir.resolve(".real.json.tmp")));
  }

  @Test
  void portalFilesAreOwnerOnly() throws Exception {
    result(portals().create(portal("acme", "private", "private.example")));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("portals"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("portals/acme"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("portals/acme/private.json"))));
  }

  @Test
  void aCorruptPortalFileStopsTheStartNamingTheFile() throws Exception {
    result(portals().create(portal("acme", "fine", "fine.example")));
    result(stores.close());
    Files.writeString(dataDir.resolve("portals/acme/broken.json"), "{not json");
    Throwable failure = failure(open());
    assertTrue(failure.getMessage().contains("broken.json"), failure.getMessage());
    stores = result(FileStores.open(vertx, dataDir.resolve("elsewhere")));
  }

  @Test
  void aPortalFileThatContradictsItsPlaceOrAnotherFilesHostnameStopsTheStart() throws Exception {
    result(portals().create(portal("acme", "one", "one.example")));
    result(stores.close());
    Path misplaced = dataDir.resolve("portals/acme/copy.json");
    Files.writeString(misplaced, portal("acme", "one", "copy.example").toJson().encode());
    assertTrue(failure(open()).getMessage().contains("copy.json"));

    Files.delete(misplaced);
    Files.writeString(dataDir.resolve("portals/acme/two.json"), portal("acme", "two", "ONE.example").toJson().encode());
    Throwable sameHost = failure(open());
    assertTrue(sameHost.getMessage().contains("hostname"), sameHost.getMessage());
    stores = result(FileStores.open(vertx, dataDir.resolve("elsewhere")));
  }

  @Test
  void unsafeIdsNeverReachTheFilesystem() {
    assertInstanceOf(IllegalArgumentException.class, failure(portals().create(portal("../../etc", "x", "x.example"))));
    assertInstanceOf(IllegalArgumentException.class, failure(portals().create(portal("acme", "../x", "y.example"))));
    assertFalse(Files.exists(dataDir.resolve("etc")));
    assertFalse(Files.exists(dataDir.resolve("portals/x.json")));
    assertEquals(java.util.Optional.empty(), result(portals().byHostname("y.example")), "a refused write indexed nothing");
  }
}
