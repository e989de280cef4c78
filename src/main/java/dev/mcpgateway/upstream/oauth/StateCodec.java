package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The {@code state} parameter: an {@link AuthorizationState} as compact JSON
 * ({@code {"a": account id, "s": server id, "n": nonce, "c": client id}}, plus {@code "u": user}
 * for a user's authorization; every value a string), sealed with AES-256-GCM under a key derived
 * from the gateway's secret for this purpose only ({@code SecretCipher.derive("oauth-state")}),
 * with associated data {@code oauth_state} ({@link SealedContexts#OAUTH_STATE}). The result is
 * {@code v1.<base64url>}: opaque to the browser and the authorization server, unforgeable, and
 * readable by every replica that shares the secret. It carries no expiry: the pending
 * authorization it names holds that, and the callback consumes it, so a state works once.
 * A tampered or foreign state, or one whose fields are missing or not strings, does not decode.
 */
final class StateCodec {
  private final SecretCipher cipher;

  StateCodec(SecretCipher gatewayCipher) {
    this.cipher = gatewayCipher.derive("oauth-state");
  }

  String encode(AuthorizationState state) {
    JsonObject json = new JsonObject().put("a", state.accountId()).put("s", state.serverId()).put("n", state.nonce())
        .put("c", state.clientId());
    if (state.subject() != null) json.put("u", state.subject());
    return cipher.seal(json.encode(), SealedContexts.OAUTH_STATE).ciphertext();
  }

  Optional<AuthorizationState> decode(String state) {
    if (state == null || state.isEmpty()) return Optional.empty();
    try {
      JsonObject json = new JsonObject(cipher.open(new SealedSecret(state), SealedContexts.OAUTH_STATE));
      if (!(json.getValue("a") instanceof String account) || !(json.getValue("s") instanceof String server)
          || !(json.getValue("n") instanceof String nonce) || !(json.getValue("c") instanceof String client)) {
        return Optional.empty();
      }
      Object subject = json.getValue("u");
      if (subject != null && !(subject instanceof String)) return Optional.empty();
      return Optional.of(new AuthorizationState(account, server, nonce, client, (String) subject));
    } catch (RuntimeException notOurs) { // does not open with this key and context, or is not a JSON object
      return Optional.empty();
    }
  }
}
