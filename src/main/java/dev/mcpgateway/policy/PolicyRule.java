package dev.mcpgateway.policy;

import dev.mcpgateway.security.Agent;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * One selector of an access policy, in Cloudflare Access's rule shape: an object with one key
 * naming the rule type. Users are matched by e-mail, e-mail domain or a group from their groups
 * claim; service tokens by id, or any. Cloudflare's other selectors (IP ranges, device posture,
 * Access groups, country...) have no meaning for this gateway and are refused on write.
 */
public sealed interface PolicyRule {

  boolean matches(Agent agent);

  JsonObject toJson();

  /** {@code {"everyone": {}}}: every user (not service tokens, which only service-auth policies admit). */
  record Everyone() implements PolicyRule {
    public boolean matches(Agent agent) {
      return agent.kind() == Agent.Kind.USER;
    }

    public JsonObject toJson() {
      return new JsonObject().put("everyone", new JsonObject());
    }
  }

  /** {@code {"email": {"email": "a@b.example"}}}: compared case-insensitively. */
  record Email(String email) implements PolicyRule {
    public boolean matches(Agent agent) {
      return agent.email() != null && agent.email().equalsIgnoreCase(email);
    }

    public JsonObject toJson() {
      return new JsonObject().put("email", new JsonObject().put("email", email));
    }
  }

  /** {@code {"email_domain": {"domain": "b.example"}}}: the part after the last {@code @}, case-insensitively; no subdomains. */
  record EmailDomain(String domain) implements PolicyRule {
    public boolean matches(Agent agent) {
      if (agent.email() == null) return false;
      int at = agent.email().lastIndexOf('@');
      return at > 0 && agent.email().substring(at + 1).toLowerCase(Locale.ROOT).equals(domain.toLowerCase(Locale.ROOT));
    }

    public JsonObject toJson() {
      return new JsonObject().put("email_domain", new JsonObject().put("domain", domain));
    }
  }

  /** {@code {"oidc": {"claim_name": "groups", "claim_value": "eng"}}}: a group in the user's groups claim ({@code sign_in.groups_claim}). */
  record Group(String claimName, String claimValue) implements PolicyRule {
    public boolean matches(Agent agent) {
      return agent.groups().contains(claimValue);
    }

    public JsonObject toJson() {
      return new JsonObject().put("oidc", new JsonObject().put("claim_name", claimName).put("claim_value", claimValue));
    }
  }

  /** {@code {"service_token": {"token_id": "<id>"}}}: that service token. */
  record ServiceToken(String tokenId) implements PolicyRule {
    public boolean matches(Agent agent) {
      return agent.kind() == Agent.Kind.SERVICE_TOKEN && agent.name().equals(Agent.SERVICE_TOKEN_PREFIX + tokenId);
    }

    public JsonObject toJson() {
      return new JsonObject().put("service_token", new JsonObject().put("token_id", tokenId));
    }
  }

  /** {@code {"any_valid_service_token": {}}}: every service token of the account. */
  record AnyValidServiceToken() implements PolicyRule {
    public boolean matches(Agent agent) {
      return agent.kind() == Agent.Kind.SERVICE_TOKEN;
    }

    public JsonObject toJson() {
      return new JsonObject().put("any_valid_service_token", new JsonObject());
    }
  }

  /** A rule as stored (written by {@code admin/PolicyRequestParser}, which checked it). */
  static PolicyRule fromJson(JsonObject json) {
    String type = json.fieldNames().iterator().next();
    JsonObject value = json.getJsonObject(type);
    return switch (type) {
      case "everyone" -> new Everyone();
      case "email" -> new Email(value.getString("email"));
      case "email_domain" -> new EmailDomain(value.getString("domain"));
      case "oidc" -> new Group(value.getString("claim_name"), value.getString("claim_value"));
      case "service_token" -> new ServiceToken(value.getString("token_id"));
      case "any_valid_service_token" -> new AnyValidServiceToken();
      default -> throw new IllegalArgumentException("unknown policy rule type: " + type);
    };
  }
}
