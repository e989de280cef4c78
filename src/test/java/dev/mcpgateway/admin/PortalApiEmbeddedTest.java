package dev.mcpgateway.admin;

/** The portals API on the embedded store. */
class PortalApiEmbeddedTest extends PortalApiContract {
  @Override
  String pgSchema() {
    return null;
  }
}
