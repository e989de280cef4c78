package dev.mcpgateway.policy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may use which MCP servers and portals of an account: a Cloudflare Access policy
 * ({@code name}, {@code decision}, {@code include} / {@code require} / {@code exclude} rules) plus
 * what it applies to — {@code servers} and {@code portals} by id, {@code *} for all of the account's
 * (on Cloudflare, the Access applications the policy is attached to). It matches an agent that
 * matches at least one {@code include} rule, every {@code require} rule and no {@code exclude} rule.
 */
public record AccessPolicy(String accountId, String id, String name, Decision decision, List<PolicyRule> include,
    List<PolicyRule> require, List<PolicyRule> exclude, Set<String> servers, Set<String> portals, Instant createdAt, Instant updatedAt) {
  public static final String ALL = "*";

  public enum Decision {
    /** Users matched may use the targets (unless a deny policy matches them too). */
    ALLOW("allow"),
    /** Users or service tokens matched may not use the targets, whatever else matches. */
    DENY("deny"),
    /** Cloudflare's "Service Auth": service tokens matched may use the targets (users are not matched by it). */
    NON_IDENTITY("non_identity");

    private final String wire;

    Decision(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Optional<Decision> fromWire(String text) {
      for (Decision d : values()) if (d.wire.equals(text)) return Optional.of(d);
      return Optional.empty();
    }
  }

  public AccessPolicy {
    include = List.copyOf(include);
    require = List.copyOf(require);
    exclude = List.copyOf(exclude);
    servers = Set.copyOf(servers);
    portals = Set.copyOf(portals);
  }

  public boolean appliesToServer(String serverId) {
    return servers.contains(ALL) || servers.contains(serverId);
  }

  public boolean appliesToPortal(String portalId) {
    return portals.contains(ALL) || portals.contains(portalId);
  }

  /** The API's and the store's form. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("account_id", accountId).put("name", name).put("decision", decision.wire())
        .put("include", rules(include)).put("require", rules(require)).put("exclude", rules(exclude))
        .put("servers", new JsonArray(List.copyOf(new TreeSet<>(servers)))).put("portals", new JsonArray(List.copyOf(new TreeSet<>(portals))))
        .put("created_at", createdAt.toString()).put("updated_at", updatedAt.toString());
  }

  public static AccessPolicy fromJson(JsonObject json) {
    return new AccessPolicy(json.getString("account_id"), json.getString("id"), json.getString("name"),
        Decision.fromWire(json.getString("decision")).orElseThrow(() -> new IllegalArgumentException("unknown decision")),
        rules(json.getJsonArray("include")), rules(json.getJsonArray("require")), rules(json.getJsonArray("exclude")),
        strings(json.getJsonArray("servers")), strings(json.getJsonArray("portals")),
        Instant.parse(json.getString("created_at")), Instant.parse(json.getString("updated_at")));
  }

  private static JsonArray rules(List<PolicyRule> rules) {
    JsonArray array = new JsonArray();
    rules.forEach(rule -> array.add(rule.toJson()));
    return array;
  }

  private static List<PolicyRule> rules(JsonArray array) {
    return array == null ? List.of() : array.stream().map(o -> PolicyRule.fromJson((JsonObject) o)).toList();
  }

  private static Set<String> strings(JsonArray array) {
    return array == null ? Set.of() : Set.copyOf(array.stream().map(String::valueOf).toList());
  }
}
