package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policies contract against the embedded store, and its files. */
class FilePolicyStoreTest extends PolicyStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> open() {
    return FileStores.open(vertx, dataDir);
  }

  @Test
  void oneOwnerOnlyFilePerPolicy() throws Exception {
    var p = policy("acme", "00000000-0000-4000-8000-0000000000f1", T0);
    result(policies().create(p));
    Path file = dataDir.resolve("policies/acme/" + p.id() + ".json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(p, dev.mcpgateway.policy.AccessPolicy.fromJson(new io.vertx.core.json.JsonObject(Files.readString(file))));
  }
}
