package dev.mcpgateway.admin;

/** The access policies API on the embedded store. */
class PolicyApiEmbeddedTest extends PolicyApiContract {
  @Override
  String pgSchema() {
    return null;
  }
}
