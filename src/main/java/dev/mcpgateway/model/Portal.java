package dev.mcpgateway.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An MCP server portal of an account: one MCP endpoint (at {@code hostname}, and at
 * {@code /mcp/{account}/portals/{id}}) serving the tools and prompts of its {@code servers}, each
 * named {@code {server_id}_{name}}. {@code hostname} is a bare host, unique across the gateway.
 * {@code secureWebGateway} is stored for API compatibility only: this gateway has no Zero Trust
 * Gateway to route through, so it changes nothing about how members are reached.
 */
public record Portal(
    String accountId,
    String id,
    String name,
    String hostname,
    String description,
    CodeMode codeMode,
    boolean secureWebGateway,
    List<PortalServer> servers,
    Instant createdAt,
    String createdBy,
    Instant modifiedAt,
    String modifiedBy) {

  /** Cloudflare's documented limit of servers per portal. */
  public static final int MAX_SERVERS = 80;

  public Portal {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hostname, "hostname");
    codeMode = codeMode == null ? CodeMode.OPT_IN : codeMode;
    servers = servers == null ? List.of() : List.copyOf(servers);
  }

  public PortalKey key() {
    return new PortalKey(accountId, id);
  }

  /** This portal's mapping of {@code serverId}, or null when the server is not a member. */
  public PortalServer member(String serverId) {
    for (PortalServer s : servers) {
      if (s.serverId().equals(serverId)) return s;
    }
    return null;
  }

  public Portal withServers(List<PortalServer> servers) {
    return new Portal(accountId, id, name, hostname, description, codeMode, secureWebGateway, servers, createdAt, createdBy, modifiedAt,
        modifiedBy);
  }

  /** The stored form: every field, the members in their request shape. */
  public JsonObject toJson() {
    JsonArray members = new JsonArray();
    servers.forEach(s -> members.add(s.toJson()));
    JsonObject json = new JsonObject()
        .put("account_id", accountId)
        .put("id", id)
        .put("name", name)
        .put("hostname", hostname)
        .put("code_mode", codeMode.wire())
        .put("secure_web_gateway", secureWebGateway)
        .put("servers", members);
    if (description != null) json.put("description", description);
    if (createdAt != null) json.put("created_at", createdAt.toString());
    if (createdBy != null) json.put("created_by", createdBy);
    if (modifiedAt != null) json.put("modified_at", modifiedAt.toString());
    if (modifiedBy != null) json.put("modified_by", modifiedBy);
    return json;
  }

  public static Portal fromJson(JsonObject json) {
    JsonArray members = json.getJsonArray("servers", new JsonArray());
    return new Portal(json.getString("account_id"), json.getString("id"), json.getString("name"), json.getString("hostname"),
        json.getString("description"), CodeMode.fromWire(json.getString("code_mode", CodeMode.OPT_IN.wire())).orElseThrow(),
        json.getBoolean("secure_web_gateway", false), members.stream().map(m -> PortalServer.fromJson((JsonObject) m)).toList(),
        instant(json.getString("created_at")), json.getString("created_by"), instant(json.getString("modified_at")),
        json.getString("modified_by"));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
