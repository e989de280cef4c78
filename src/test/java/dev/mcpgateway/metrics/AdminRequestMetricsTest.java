package dev.mcpgateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operation label of mcp_gateway_admin_requests_total (and the access log) for each route and method. */
class AdminRequestMetricsTest {
  static final String MCP = "/accounts/acme/access/ai-controls/mcp";

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
      "GET, /servers, list",
      "POST, /servers, create",
      "GET, /servers/a, read",
      "PUT, /servers/a, update",
      "DELETE, /servers/a, delete",
      "POST, /servers/a/sync, sync",
      "GET, /audit, audit",
      "GET, /portals, portal_list",
      "POST, /portals, portal_create",
      "GET, /portals/p, portal_read",
      "PUT, /portals/p, portal_update",
      "DELETE, /portals/p, portal_delete",
      "PATCH, /portals/p, other",
      "DELETE, /portals, other",
      "GET, /portals/p/servers, other",
      "GET, /portal, other",
  })
  void eachRouteHasItsOperation(String method, String path, String operation) {
    assertEquals(operation, AdminRequestMetrics.operation(method, MCP + path));
  }

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
      "GET, '', service_token_list",
      "POST, '', service_token_create",
      "GET, /t, service_token_read",
      "PUT, /t, service_token_update",
      "DELETE, /t, service_token_delete",
      "POST, /t/rotate, service_token_rotate",
      "POST, /t/refresh, service_token_refresh",
      "GET, /t/rotate, other",
      "PATCH, /t, other",
      "DELETE, '', other",
      "POST, /t/renew, other",
  })
  void eachServiceTokenRouteHasItsOperation(String method, String path, String operation) {
    assertEquals(operation, AdminRequestMetrics.operation(method, "/accounts/acme/access/service_tokens" + path));
  }

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
      "GET, '', policy_list",
      "POST, '', policy_create",
      "GET, /3c0e1f7a-5b2d-4e8f-9a61-7d2c4b8e0f13, policy_read",
      "PUT, /3c0e1f7a-5b2d-4e8f-9a61-7d2c4b8e0f13, policy_update",
      "DELETE, /3c0e1f7a-5b2d-4e8f-9a61-7d2c4b8e0f13, policy_delete",
      "GET, /explain, policy_explain",
      "PUT, /explain, policy_update",
      "POST, /explain, other",
      "PATCH, /p, other",
      "DELETE, '', other",
      "GET, /p/rules, other",
  })
  void eachPolicyRouteHasItsOperation(String method, String path, String operation) {
    assertEquals(operation, AdminRequestMetrics.operation(method, "/accounts/acme/access/policies" + path));
  }
}
