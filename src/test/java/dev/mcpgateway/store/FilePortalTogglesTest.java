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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The toggles contract against the embedded store, and what is particular to its files. */
class FilePortalTogglesTest extends PortalTogglesContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> open() {
    return FileStores.open(vertx, dataDir);
  }

  @Test
  void oneOwnerOnlyFilePerHolderNamedByTheHoldersHash() throws Exception {
    portalsExist("acme", "p");
    result(toggles().set("acme", "p", "s:secret-ish", "a", false, LATER));
    Path file = dataDir.resolve("portal-toggles/acme/p/" + TokenHash.sha256Hex("s:secret-ish") + ".json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("portal-toggles"))));
    assertTrue(Files.readString(file).contains("\"expires_at\":\"" + LATER + "\""), Files.readString(file));
    result(toggles().set("acme", "p", "s:secret-ish", "a", true, LATER));
    assertFalse(Files.exists(file), "nothing off: no file");
  }

  @Test
  void aLeftoverTempFileIsDeletedAndTogglesOfAPortalRemovedByHandAreDropped() throws Exception {
    portalsExist("acme", "p", "q");
    result(toggles().set("acme", "p", "t:agent", "a", false, null));
    result(toggles().set("acme", "q", "t:agent", "a", false, null));
    result(stores.close());
    Path temp = dataDir.resolve("portal-toggles/acme/p/.x.json.tmp");
    Files.writeString(temp, "{\"account_id\":\"ac");
    Files.delete(dataDir.resolve("portals/acme/q.json"));
    stores = result(open());
    assertFalse(Files.exists(temp));
    assertEquals(Set.of("a"), off("acme", "p", "t:agent"));
    assertEquals(Set.of(), off("acme", "q", "t:agent"));
    assertFalse(Files.exists(dataDir.resolve("portal-toggles/acme/q/" + TokenHash.sha256Hex("t:agent") + ".json")));
  }

  @Test
  void aDeletedPortalTakesItsTogglesDirectoryWithIt() {
    portalsExist("acme", "p");
    result(toggles().set("acme", "p", "t:agent", "a", false, null));
    result(stores.portals().delete("acme", "p"));
    assertFalse(Files.exists(dataDir.resolve("portal-toggles/acme/p")));
  }
}
