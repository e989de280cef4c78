package dev.mcpgateway.authserver;

import dev.mcpgateway.http.BoundedBody;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.store.SignInStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.function.BiConsumer;

/**
 * {@code POST /revoke} (RFC 7009), after {@link ClientAuthentication}: a refresh token (or a code)
 * of this client revokes its whole grant — every refresh token of it, and every access token
 * ({@link RevokedGrants}), stops working at once. An access token presented here is accepted and
 * changes nothing (revoke its refresh token). Unknown tokens, and another client's,
 * answer 200 as well (the RFC's rule: nothing is learnt from the answer).
 */
final class RevocationEndpoint implements Handler<RoutingContext> {
  private static final int MAX_FORM_BYTES = 16 * 1024;

  private final ClientAuthentication clients;
  private final SignInStore store;
  private final Clock clock;
  private final BiConsumer<String, String> events;
  private final RevokedGrants revokedGrants;

  RevocationEndpoint(ClientAuthentication clients, SignInStore store, RevokedGrants revokedGrants, Clock clock, BiConsumer<String, String> events) {
    this.revokedGrants = revokedGrants;
    this.clients = clients;
    this.store = store;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!OAuthReplies.isForm(ctx)) {
      OAuthReplies.error(ctx, OAuthReplies.invalidRequest("the revocation request must be application/x-www-form-urlencoded"));
      return;
    }
    BoundedBody.read(ctx.request(), MAX_FORM_BYTES).compose(body -> {
      var form = OAuthReplies.form(body);
      String token = form.get("token");
      if (token == null) return Future.failedFuture(OAuthReplies.invalidRequest("token is required"));
      return clients.authenticate(ctx, form).compose(client -> store.find(TokenHash.sha256Hex(token)).compose(found -> {
        if (found.isEmpty() || !found.get().grant().clientId().equals(client.id())) return Future.succeededFuture(false);
        String grantId = found.get().grant().id();
        return store.revokeGrant(grantId, clock.instant()).compose(revoked -> revokedGrants.revoke(grantId).map(revoked));
      }));
    }).onSuccess(revoked -> {
      events.accept("revoke", revoked ? "ok" : "ignored");
      OAuthReplies.json(ctx, 200, new JsonObject());
    }).onFailure(e -> {
      OAuthReplies.Failure failure = OAuthReplies.failure(e, "the revocation request is too large");
      events.accept("revoke", failure.error);
      OAuthReplies.error(ctx, failure);
    });
  }
}
