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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service token contract against the embedded store, and what is particular to its files. */
class FileServiceTokenStoreTest extends ServiceTokenStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> open() {
    return FileStores.open(vertx, dataDir);
  }

  @Test
  void oneOwnerOnlyFilePerTokenHoldingHashesOnly() throws Exception {
    result(tokens().create(full()));
    Path file = dataDir.resolve("service-tokens/acme/" + ID_1 + ".json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    String text = Files.readString(file);
    assertTrue(text.contains("\"client_secret_sha256\":\"" + full().secretSha256() + "\""), text);
    assertFalse(text.contains("\"client_secret\""), "no field for a secret itself: " + text);
    result(tokens().delete("acme", ID_1));
    assertFalse(Files.exists(file));
  }

  @Test
  void aLeftoverTempFileIsDeletedAndAMisplacedFileStopsTheStart() throws Exception {
    result(tokens().create(token("acme", ID_1, 1, T0)));
    result(stores.close());
    Path temp = dataDir.resolve("service-tokens/acme/." + ID_2 + ".json.tmp");
    Files.writeString(temp, "{\"format\":1,\"acc");
    stores = result(open());
    assertFalse(Files.exists(temp));
    assertEquals(List.of(token("acme", ID_1, 1, T0)), result(tokens().list("acme")));
    result(stores.close());
    Files.copy(dataDir.resolve("service-tokens/acme/" + ID_1 + ".json"), dataDir.resolve("service-tokens/acme/" + ID_2 + ".json"));
    Throwable refused = Await.failure(open());
    assertInstanceOf(IllegalStateException.class, refused);
    assertTrue(refused.getMessage().contains(ID_2), refused.getMessage());
    stores = result(FileStores.open(vertx, dataDir.resolve("elsewhere")));
  }
}
