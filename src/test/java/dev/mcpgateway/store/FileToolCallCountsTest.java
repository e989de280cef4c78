package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.ToolCallKey;
import dev.mcpgateway.support.Await;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool-call counts contract against the embedded store, and what is particular to its files. */
class FileToolCallCountsTest extends ToolCallCountsContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> open() {
    return FileStores.open(vertx, dataDir);
  }

  @Test
  void oneOwnerOnlyFilePerAccountAndUtcDayAndAPurgedDayLeavesNoFile() throws Exception {
    result(counts().add(Map.of(key("acme", Q1, "every", null, "echo"), 2L)));
    Path file = dataDir.resolve("tool-calls/acme/2026-03-04.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("tool-calls/acme"))));
    assertTrue(Files.readString(file).contains("\"tool\":\"echo\""));
    result(counts().purgeBefore(NEXT_DAY));
    assertFalse(Files.exists(file));
  }

  @Test
  void aLeftoverTempFileIsDeletedAndAFileOfAnotherDayStopsTheStart() throws Exception {
    ToolCallKey echo = key("acme", Q1, "every", null, "echo");
    result(counts().add(Map.of(echo, 2L)));
    result(stores.close());
    Path temp = dataDir.resolve("tool-calls/acme/.2026-03-05.json.tmp");
    Files.writeString(temp, "{\"account_id\":\"ac");
    stores = result(open());
    assertFalse(Files.exists(temp));
    assertEquals(Map.of(echo, 2L), all("acme"));
    result(stores.close());
    Files.copy(dataDir.resolve("tool-calls/acme/2026-03-04.json"), dataDir.resolve("tool-calls/acme/2026-03-05.json"));
    Throwable refused = Await.failure(open());
    assertInstanceOf(IllegalStateException.class, refused);
    assertTrue(refused.getMessage().contains("2026-03-05"), refused.getMessage());
    stores = result(FileStores.open(vertx, dataDir.resolve("elsewhere")));
  }
}
