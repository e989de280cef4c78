package dev.mcpgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.model.ServerStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A portal as the API shows it: its fields, each member as the server view merged with its mapping, and the audit form. */
class PortalJsonTest {
  static final Instant T = Instant.parse("2026-03-04T05:06:07.089Z");

  static McpServer server(String id) {
    return McpServer.builder().accountId("acme").id(id).name("Server " + id).hostname("https://" + id + ".example.com/mcp")
        .authType(AuthType.BEARER).credentials(new SealedSecret("v1:sealed-ciphertext"))
        .tools(new JsonArray().add(new JsonObject().put("name", "list_issues")).add(new JsonObject().put("name", "create_issue")))
        .updatedTools(List.of(new CapabilityOverride("create_issue", "new-issue", "Server-level", false),
            new CapabilityOverride("close_issue", null, null, false)))
        .status(ServerStatus.READY).createdAt(T).createdBy("bot").modifiedAt(T).modifiedBy("bot").build();
  }

  static Portal portal(List<PortalServer> servers) {
    return new Portal("acme", "p", "Portal", "mcp.example.com", null, CodeMode.DEFAULT_ON, false, servers, T, "bot", T, "editor");
  }

  @Test
  void theOverridesOfBothLevelsAreMergedByUpstreamName() {
    JsonArray merged = PortalJson.mergedOverrides(
        List.of(new CapabilityOverride("list_issues", "issues", "Portal-level", null),
            new CapabilityOverride("create_issue", "file", null, true)),
        List.of(new CapabilityOverride("create_issue", "new-issue", "Server-level", false),
            new CapabilityOverride("close_issue", null, null, false),
            new CapabilityOverride("list_issues", null, null, null)));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("name", "list_issues").put("portal_alias", "issues").put("portal_description", "Portal-level"))
        .add(new JsonObject().put("name", "create_issue").put("enabled", true).put("portal_alias", "file")
            .put("server_alias", "new-issue").put("server_description", "Server-level"))
        .add(new JsonObject().put("name", "close_issue").put("enabled", false)), merged);
    // enabled: the portal entry's when set, else the server's
    assertEquals(new JsonArray().add(new JsonObject().put("name", "t").put("enabled", false).put("portal_alias", "a")),
        PortalJson.mergedOverrides(List.of(new CapabilityOverride("t", "a", null, null)), List.of(new CapabilityOverride("t", null, null, false))));
    assertEquals(new JsonArray(), PortalJson.mergedOverrides(List.of(), List.of()));
  }

  @Test
  void aMemberIsTheServerViewWithItsMappingAndNeverCredentials() {
    McpServer github = server("github");
    PortalServer mapping = new PortalServer("github", true, false, List.of(new CapabilityOverride("list_issues", null, null, true)), List.of());
    JsonObject member = PortalJson.member(github, mapping);
    JsonObject view = ServerView.toJson(github);
    assertEquals(List.of("id", "server_id"), List.copyOf(member.fieldNames()).subList(0, 2));
    assertEquals("github", member.getString("server_id"));
    for (String field : view.fieldNames()) {
      if (!field.startsWith("updated_")) assertEquals(view.getValue(field), member.getValue(field), field);
    }
    assertEquals(true, member.getBoolean("default_disabled"));
    assertEquals(false, member.getBoolean("on_behalf"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("name", "list_issues").put("enabled", true))
        .add(new JsonObject().put("name", "create_issue").put("enabled", false).put("server_alias", "new-issue")
            .put("server_description", "Server-level"))
        .add(new JsonObject().put("name", "close_issue").put("enabled", false)), member.getJsonArray("updated_tools"));
    assertEquals(new JsonArray(), member.getJsonArray("updated_prompts"));
    assertFalse(member.encode().contains("credentials") || member.encode().contains("sealed"), member.encode());
  }

  @Test
  void aPortalShowsItsFieldsAndTheMembersThatStillExistInMappingOrder() {
    Portal p = portal(List.of(new PortalServer("jira", false, true, List.of(), List.of()),
        new PortalServer("gone", false, true, List.of(), List.of()), new PortalServer("github", false, true, List.of(), List.of())));
    JsonObject json = PortalJson.toJson(p, Map.of("github", server("github"), "jira", server("jira")));
    assertEquals(List.of("id", "name", "hostname", "code_mode", "allow_code_mode", "secure_web_gateway", "servers", "created_at",
        "created_by", "modified_at", "modified_by"), List.copyOf(json.fieldNames()));
    assertEquals("default_on", json.getString("code_mode"));
    assertEquals(true, json.getBoolean("allow_code_mode"));
    assertEquals(T.toString(), json.getString("created_at"));
    assertEquals("editor", json.getString("modified_by"));
    assertEquals(List.of("jira", "github"), json.getJsonArray("servers").stream().map(o -> ((JsonObject) o).getString("id")).toList());

    JsonObject described = PortalJson.withoutServers(new Portal("acme", "p", "Portal", "mcp.example.com", "About", CodeMode.OFF, true,
        p.servers(), T, "bot", T, "bot"));
    assertEquals(List.of("id", "name", "hostname", "description", "code_mode", "allow_code_mode", "secure_web_gateway", "created_at",
        "created_by", "modified_at", "modified_by"), List.copyOf(described.fieldNames()));
    assertEquals(false, described.getBoolean("allow_code_mode"));
    assertEquals(true, described.getBoolean("secure_web_gateway"));
  }

  @Test
  void theAuditFormKeepsTheMappingsAsStoredNotTheMemberServers() {
    PortalServer mapping = new PortalServer("github", true, false, List.of(new CapabilityOverride("list_issues", "issues", null, true)),
        List.of());
    JsonObject audit = PortalJson.audit(portal(List.of(mapping)));
    assertEquals(new JsonArray().add(mapping.toJson()), audit.getJsonArray("servers"));
    JsonObject withoutServers = audit.copy();
    withoutServers.remove("servers");
    assertEquals(PortalJson.withoutServers(portal(List.of(mapping))), withoutServers);
  }
}
