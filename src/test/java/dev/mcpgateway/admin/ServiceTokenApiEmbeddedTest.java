package dev.mcpgateway.admin;

import dev.mcpgateway.support.StoredBytes;

/** The service tokens API on the embedded store. */
class ServiceTokenApiEmbeddedTest extends ServiceTokenApiContract {
  @Override
  String pgSchema() {
    return null;
  }

  @Override
  String storedBytes() throws Exception {
    return StoredBytes.files(dataDir);
  }
}
