package dev.mcpgateway.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One user's own upstream OAuth connection to an on-behalf server ({@code oauth_on_behalf}): the
 * user is the client token's name, the tokens are sealed, and a pending authorization the user
 * started is kept here (consumed by the callback, so its state works once). The registration and
 * endpoints are the server's ({@link OAuthConnection}); nothing of one user serves another.
 */
public record UserConnection(
    String accountId,
    String serverId,
    String subject,
    SealedSecret tokens,
    Instant expiresAt,
    AuthenticationStatus status,
    String error,
    OAuthConnection.Pending pending,
    Instant ticketsUsedUntil) {

  public static UserConnection empty(String accountId, String serverId, String subject) {
    return new UserConnection(accountId, serverId, subject, null, null, AuthenticationStatus.REQUIRED, null, null, null);
  }

  public UserConnection withPending(OAuthConnection.Pending value) {
    return new UserConnection(accountId, serverId, subject, tokens, expiresAt, status, error, value, ticketsUsedUntil);
  }

  public UserConnection withTokens(SealedSecret value, Instant expiry, AuthenticationStatus newStatus, String newError) {
    return new UserConnection(accountId, serverId, subject, value, expiry, newStatus, newError, pending, ticketsUsedUntil);
  }

  /** An authorization link (ticket) issued at {@code issuedAt} was used: it and every older one are spent. */
  public UserConnection withTicketUsed(Instant issuedAt) {
    return new UserConnection(accountId, serverId, subject, tokens, expiresAt, status, error, pending, issuedAt);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("account_id", accountId)
        .put("server_id", serverId)
        .put("subject", subject)
        .put("tokens_sealed", tokens == null ? null : tokens.ciphertext())
        .put("expires_at", expiresAt == null ? null : expiresAt.toString())
        .put("status", status.wire())
        .put("error", error)
        .put("pending", pending == null ? null : pending.toJson())
        .put("tickets_used_until", ticketsUsedUntil == null ? null : ticketsUsedUntil.toString());
  }

  public static UserConnection fromJson(JsonObject json) {
    String tokens = json.getString("tokens_sealed");
    String expires = json.getString("expires_at");
    return new UserConnection(json.getString("account_id"), json.getString("server_id"), json.getString("subject"),
        tokens == null ? null : new SealedSecret(tokens), expires == null ? null : Instant.parse(expires),
        AuthenticationStatus.fromWire(json.getString("status", "required")), json.getString("error"),
        OAuthConnection.Pending.fromJson(json.getJsonObject("pending")),
        json.getString("tickets_used_until") == null ? null : Instant.parse(json.getString("tickets_used_until")));
  }

  @Override
  public String toString() {
    return "UserConnection[" + accountId + "/" + serverId + " for " + subject + ", " + status + "]";
  }
}
