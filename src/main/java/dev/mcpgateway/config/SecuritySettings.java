package dev.mcpgateway.config;

import dev.mcpgateway.security.ApiToken;
import dev.mcpgateway.security.ClientToken;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code security}: the key sealing secrets at rest (null: generated into the data directory), the
 * bootstrap admin token (plaintext, null: none), the API tokens by hash, and the MCP client tokens
 * by hash plus the bootstrap {@code client_token} (every account).
 */
public record SecuritySettings(String secretKey, String adminToken, List<ApiToken> apiTokens, List<ClientToken> clientTokens) {

  public static SecuritySettings from(ConfigSection security) {
    return new SecuritySettings(security.optionalString("secret_key"), security.optionalString("admin_token"),
        apiTokens(security), clientTokens(security));
  }

  @Override
  public String toString() {
    return "SecuritySettings[secretKey=" + (secretKey == null ? "generated" : "set") + ", adminToken="
        + (adminToken == null ? "none" : "set") + ", apiTokens=" + apiTokens.size() + ", clientTokens=" + clientTokens.size() + "]";
  }

  private static List<ApiToken> apiTokens(ConfigSection security) {
    List<ApiToken> tokens = new ArrayList<>();
    for (JsonObject token : tokenEntries(security, "api_tokens")) {
      tokens.add(ApiToken.ofHex(token.getString("name"), token.getString("sha256"),
          stringSet(token.getValue("accounts", "*"), token.getString("name"))));
    }
    return tokens;
  }

  /** {@code client_tokens} plus the bootstrap {@code client_token} (plaintext, every account). */
  private static List<ClientToken> clientTokens(ConfigSection security) {
    List<ClientToken> tokens = new ArrayList<>();
    for (JsonObject token : tokenEntries(security, "client_tokens")) {
      tokens.add(ClientToken.ofHex(token.getString("name"), token.getString("sha256"),
          stringSet(token.getValue("accounts", "*"), token.getString("name")),
          token.getValue("servers") == null ? Set.of() : stringSet(token.getValue("servers"), token.getString("name"))));
    }
    String bootstrap = security.optionalString("client_token");
    if (bootstrap != null) {
      tokens.add(new ClientToken("client", TokenHash.sha256(bootstrap), Set.of(ApiToken.ALL_ACCOUNTS), Set.of()));
    }
    return tokens;
  }

  /** A list (YAML) or a JSON array in a string (environment) of token objects with distinct names. */
  private static List<JsonObject> tokenEntries(ConfigSection security, String key) {
    Object value = security.raw(key);
    String setting = security.describe(key);
    if (value == null) return List.of();
    if (value instanceof String text) value = text.isBlank() ? new JsonArray() : new JsonArray(text);
    if (!(value instanceof JsonArray array)) throw new IllegalArgumentException(setting + " must be a list");
    List<JsonObject> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject token)) throw new IllegalArgumentException(setting + " entries must be objects");
      if (!names.add(token.getString("name"))) throw new IllegalArgumentException(setting + ": duplicate name '" + token.getString("name") + "'");
      entries.add(token);
    }
    return entries;
  }

  private static Set<String> stringSet(Object value, String tokenName) {
    Set<String> set = new HashSet<>();
    if (value instanceof String one) set.add(one);
    else if (value instanceof JsonArray many) many.forEach(a -> set.add(String.valueOf(a)));
    else throw new IllegalArgumentException("token '" + tokenName + "': accounts and servers must be a list or a string");
    return set;
  }
}
