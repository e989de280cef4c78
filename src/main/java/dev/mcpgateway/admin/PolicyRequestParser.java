package dev.mcpgateway.admin;

import static dev.mcpgateway.admin.ServerRequestParser.jsonType;
import static dev.mcpgateway.admin.ServerRequestParser.length;

import dev.mcpgateway.policy.AccessPolicy;
import dev.mcpgateway.policy.PolicyRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates an access policy body (create, and PUT, which replaces the policy whole as Cloudflare's
 * does), collecting one error per problem. Rules are Cloudflare Access's shape, limited to the
 * selectors that mean something here ({@link PolicyRule}); Cloudflare's others (ip, geo, device
 * posture, Access groups, IdP-specific groups...) are refused by name, not ignored — a policy that
 * silently matches differently than it reads is worse than none. {@code bypass} is refused: every
 * MCP request needs an identity. The groups rule must name the groups claim sign-in reads
 * ({@code sign_in.groups_claim}), the only claim the gateway keeps.
 */
final class PolicyRequestParser {
  static final int MAX_RULES = 50;
  static final int MAX_TARGETS = 100;
  static final int VALUE_MAX = 256;
  private static final Pattern DOMAIN = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
  /** Each rule type and its fields, all required (openapi.json's PolicyRule: OpenApiContractTest compares them). */
  static final Map<String, List<String>> FIELDS = Map.of("everyone", List.of(), "email", List.of("email"),
      "email_domain", List.of("domain"), "oidc", List.of("claim_name", "claim_value"), "service_token", List.of("token_id"),
      "any_valid_service_token", List.of());
  private static final Set<String> UNSUPPORTED = Set.of("ip", "ip_list", "email_list", "group", "geo", "device_posture", "certificate",
      "common_name", "azureAD", "github-organization", "gsuite", "okta", "saml", "auth_method", "login_method", "external_evaluation",
      "auth_context");

  /** The body's fields, as far as they are valid. */
  record Fields(String name, AccessPolicy.Decision decision, List<PolicyRule> include, List<PolicyRule> require, List<PolicyRule> exclude,
      Set<String> servers, Set<String> portals) {}

  record Parsed(Fields fields, List<ApiError> errors) {}

  private final String groupsClaim;

  PolicyRequestParser(String groupsClaim) {
    this.groupsClaim = groupsClaim;
  }

  Parsed parse(JsonObject body) {
    List<ApiError> errors = new ArrayList<>();
    String name = ServerRequestParser.string(body, "name", true, 1, ServerRequestParser.NAME_MAX, false, errors);
    if (name != null && name.isBlank()) errors.add(ApiError.field(ErrorCode.INVALID_LENGTH, "/name", "must not be blank"));
    else if (name != null) TextRules.problem(name, false).ifPresent(p -> errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/name", p)));
    String decisionText = ServerRequestParser.string(body, "decision", true, 1, 32, false, errors);
    AccessPolicy.Decision decision = null;
    if (decisionText != null) {
      decision = AccessPolicy.Decision.fromWire(decisionText).orElse(null);
      if (decision == null) {
        errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/decision", "bypass".equals(decisionText)
            ? "bypass is not supported: every MCP request needs an identity" : "must be one of allow, deny, non_identity"));
      }
    }
    List<PolicyRule> include = rules(body, "include", true, errors);
    List<PolicyRule> require = rules(body, "require", false, errors);
    List<PolicyRule> exclude = rules(body, "exclude", false, errors);
    Set<String> servers = targets(body, "servers", errors);
    Set<String> portals = targets(body, "portals", errors);
    if (servers != null && portals != null && servers.isEmpty() && portals.isEmpty()) {
      errors.add(ApiError.field(ErrorCode.MISSING_FIELD, "/servers",
          "a policy must apply to at least one server or portal (servers, portals: ids, or \"*\" for all of the account's)"));
    }
    return new Parsed(new Fields(name, decision, include, require, exclude, servers, portals), errors);
  }

  private List<PolicyRule> rules(JsonObject body, String key, boolean required, List<ApiError> errors) {
    String pointer = "/" + key;
    Object value = body.getValue(key);
    if (value == null) {
      if (required) errors.add(ApiError.field(ErrorCode.MISSING_FIELD, pointer, "is required"));
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      errors.add(ApiError.field(ErrorCode.WRONG_TYPE, pointer, "must be an array of rules, not " + jsonType(value)));
      return List.of();
    }
    if (array.size() > MAX_RULES || required && array.isEmpty()) {
      errors.add(ApiError.field(ErrorCode.INVALID_LENGTH, pointer, "must hold " + (required ? 1 : 0) + " to " + MAX_RULES + " rules (got " + array.size() + ")"));
      return List.of();
    }
    List<PolicyRule> rules = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      PolicyRule rule = rule(array.getValue(i), pointer + "/" + i, errors);
      if (rule != null) rules.add(rule);
    }
    return rules;
  }

  private PolicyRule rule(Object value, String pointer, List<ApiError> errors) {
    if (!(value instanceof JsonObject json) || json.size() != 1) {
      errors.add(ApiError.field(ErrorCode.WRONG_TYPE, pointer, "must be an object with one rule type, e.g. {\"email\": {\"email\": \"a@b.example\"}}"));
      return null;
    }
    String type = json.fieldNames().iterator().next();
    if (!FIELDS.containsKey(type)) {
      errors.add(ApiError.field(ErrorCode.INVALID_VALUE, pointer, UNSUPPORTED.contains(type)
          ? "rule type '" + type + "' is not supported by this gateway" : "unknown rule type '" + clip(type) + "'"));
      return null;
    }
    if (!(json.getValue(type) instanceof JsonObject fields)) {
      errors.add(ApiError.field(ErrorCode.WRONG_TYPE, pointer + "/" + type, "must be an object"));
      return null;
    }
    List<String> expected = FIELDS.get(type);
    for (String field : fields.fieldNames()) {
      // Cloudflare's IdP-bound rules name the IdP; this gateway has one: accepted and ignored
      if (!expected.contains(field) && !("oidc".equals(type) && "identity_provider_id".equals(field))) {
        errors.add(ApiError.field(ErrorCode.INVALID_VALUE, pointer + "/" + type + "/" + field, "is not a field of a " + type + " rule"));
        return null;
      }
    }
    List<String> values = new ArrayList<>();
    for (String field : expected) {
      String text = ServerRequestParser.string(fields, field, true, 1, VALUE_MAX, false, new ArrayList<>());
      if (text == null || text.isBlank()) {
        errors.add(ApiError.field(ErrorCode.MISSING_FIELD, pointer + "/" + type + "/" + field, "must be a string of 1 to " + VALUE_MAX + " characters"));
        return null;
      }
      values.add(text.trim());
    }
    return switch (type) {
      case "everyone" -> new PolicyRule.Everyone();
      case "any_valid_service_token" -> new PolicyRule.AnyValidServiceToken();
      case "email" -> {
        String email = values.get(0);
        int at = email.lastIndexOf('@');
        if (at <= 0 || !DOMAIN.matcher(email.substring(at + 1)).matches()) {
          errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, pointer + "/email/email", "must be an e-mail address"));
          yield null;
        }
        yield new PolicyRule.Email(email);
      }
      case "email_domain" -> {
        String domain = values.get(0).startsWith("@") ? values.get(0).substring(1) : values.get(0);
        if (!DOMAIN.matcher(domain).matches()) {
          errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, pointer + "/email_domain/domain", "must be a domain name such as example.com"));
          yield null;
        }
        yield new PolicyRule.EmailDomain(domain);
      }
      case "oidc" -> {
        if (!values.get(0).equals(groupsClaim)) {
          errors.add(ApiError.field(ErrorCode.INVALID_VALUE, pointer + "/oidc/claim_name",
              "must be '" + groupsClaim + "' (sign_in.groups_claim): the only claim the gateway keeps for policies"));
          yield null;
        }
        yield new PolicyRule.Group(values.get(0), values.get(1));
      }
      case "service_token" -> new PolicyRule.ServiceToken(values.get(0));
      default -> throw new IllegalStateException(type);
    };
  }

  /** A caller's text echoed in a message: short, no control characters. */
  private static String clip(String text) {
    String cleaned = text.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() <= 64 ? cleaned : cleaned.substring(0, 64) + "…";
  }

  /** Server or portal ids, or {@code *}; absent is none. */
  private static Set<String> targets(JsonObject body, String key, List<ApiError> errors) {
    Object value = body.getValue(key);
    if (value == null) return Set.of();
    if (!(value instanceof JsonArray array) || array.size() > MAX_TARGETS) {
      errors.add(ApiError.field(ErrorCode.WRONG_TYPE, "/" + key, "must be an array of at most " + MAX_TARGETS + " ids, or [\"*\"]"));
      return null;
    }
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof String id) || !(id.equals(AccessPolicy.ALL)
          || length(id) <= ServerRequestParser.ID_MAX && !id.isEmpty() && ServerRequestParser.ID.matcher(id).matches())) {
        errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/" + key + "/" + i, "must be an id (letters, digits and '-', at most "
            + ServerRequestParser.ID_MAX + ") or \"*\""));
        continue;
      }
      ids.add(id);
    }
    return ids;
  }
}
