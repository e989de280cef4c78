package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * Who is calling the token and revocation endpoints (RFC 6749 §2.3): a confidential client with its
 * secret in HTTP Basic ({@code client_secret_basic}, each part form-decoded) or in the form
 * ({@code client_secret_post}), compared as SHA-256 in constant time; or a public client
 * ({@code none}) naming itself with {@code client_id} — PKCE is what binds its code. One method per
 * request; a failure is {@code invalid_client} (401), never saying whether the client exists.
 */
final class ClientAuthentication {
  private final Clients clients;

  ClientAuthentication(Clients clients) {
    this.clients = clients;
  }

  Future<SignInClient> authenticate(RoutingContext ctx, Map<String, String> form) {
    String id = form.get("client_id");
    String secret = form.get("client_secret");
    String header = ctx.request().getHeader("Authorization");
    boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
    if (basic) {
      if (secret != null) return Future.failedFuture(OAuthReplies.invalidRequest("use one client authentication method, not two"));
      String[] pair = decodeBasic(header.substring(6).trim());
      if (pair == null) return Future.failedFuture(invalidClient(true));
      if (id != null && !id.equals(pair[0])) return Future.failedFuture(OAuthReplies.invalidRequest("client_id differs from the authenticated client"));
      id = pair[0];
      secret = pair[1];
    }
    if (id == null || id.isEmpty()) return Future.failedFuture(invalidClient(basic));
    String presented = secret;
    boolean viaBasic = basic;
    return clients.find(id).compose(found -> {
      SignInClient client = found.orElse(null);
      if (client == null) return Future.failedFuture(invalidClient(viaBasic));
      if (client.isPublic()) {
        return presented == null ? Future.succeededFuture(client) : Future.failedFuture(invalidClient(viaBasic));
      }
      if (presented == null || client.secretSha256() == null || !MessageDigest.isEqual(
          TokenHash.sha256Hex(presented).getBytes(StandardCharsets.US_ASCII), client.secretSha256().getBytes(StandardCharsets.US_ASCII))) {
        return Future.failedFuture(invalidClient(viaBasic));
      }
      return Future.succeededFuture(client);
    });
  }

  private static String[] decodeBasic(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon < 0) return null;
      return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
          URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static OAuthReplies.Failure invalidClient(boolean basic) {
    // RFC 6749 §5.2: 401 when the client tried HTTP authentication
    return new OAuthReplies.Failure(basic ? 401 : 400, "invalid_client", "client authentication failed");
  }
}
