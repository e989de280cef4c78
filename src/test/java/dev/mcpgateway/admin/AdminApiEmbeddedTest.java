package dev.mcpgateway.admin;

import dev.mcpgateway.support.StoredBytes;
import java.nio.file.Files;

class AdminApiEmbeddedTest extends AdminApiContract {
  @Override
  String pgSchema() {
    return null;
  }

  @Override
  String storedBytes() throws Exception {
    return StoredBytes.files(dataDir);
  }

  @Override
  void breakAcmeAuditTrail() throws Exception {
    // a directory where the account's audit file should be: every append fails with an I/O error
    Files.createDirectories(dataDir.resolve("audit/acme.jsonl"));
  }
}
