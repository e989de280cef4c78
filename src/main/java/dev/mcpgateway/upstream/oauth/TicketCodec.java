package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The ticket in a user's authorization link ({@code /oauth/user/{account}/{server}?ticket=…}):
 * compact JSON {@code {"a": account id, "s": server id, "u": user (the client token's name),
 * "iat": issued at, epoch milliseconds, "exp": expiry, epoch seconds}}, sealed with AES-256-GCM
 * under {@code SecretCipher.derive("oauth-user-ticket")} with associated data
 * {@code oauth_user_ticket} ({@link SealedContexts#OAUTH_TICKET}), written {@code v1.<base64url>}.
 *
 * <p>A ticket opens only for the server in the link's path and until its expiry (the
 * authorization TTL after issue; whole seconds). {@code iat} is kept to the millisecond because it
 * is the ticket's identity: the user's connection remembers the newest one used
 * ({@code tickets_used_until}), so a link works once and using one spends every older one. A
 * tampered or foreign ticket, or one whose fields are missing or of another type, does not open.
 */
final class TicketCodec {
  /** A ticket as issued: who, for which server, when, and until when. */
  record Ticket(String accountId, String serverId, String subject, Instant issuedAt, Instant expiresAt) {}

  private final SecretCipher cipher;
  private final Clock clock;
  private final Duration ttl;

  TicketCodec(SecretCipher gatewayCipher, Clock clock, Duration ttl) {
    this.cipher = gatewayCipher.derive("oauth-user-ticket");
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A new ticket naming {@code subject} for the server, valid for the TTL from now. */
  String issue(String accountId, String serverId, String subject) {
    Instant now = clock.instant();
    return encode(new Ticket(accountId, serverId, subject, now, now.plus(ttl)));
  }

  String encode(Ticket ticket) {
    JsonObject json = new JsonObject().put("a", ticket.accountId()).put("s", ticket.serverId()).put("u", ticket.subject())
        .put("iat", ticket.issuedAt().toEpochMilli()).put("exp", ticket.expiresAt().getEpochSecond());
    return cipher.seal(json.encode(), SealedContexts.OAUTH_TICKET).ciphertext();
  }

  /**
   * The ticket, if it is one this gateway issued, for server {@code serverId} of {@code accountId},
   * and not expired; else fails with an {@link OAuthException} of kind {@code INVALID_CALLBACK}
   * saying which.
   */
  Ticket open(String sealed, String accountId, String serverId) {
    Ticket ticket = decode(sealed);
    if (ticket == null) throw OAuthException.invalidCallback("the authorization link is not one this gateway issued");
    if (!accountId.equals(ticket.accountId()) || !serverId.equals(ticket.serverId())) {
      throw OAuthException.invalidCallback("the authorization link is for another server");
    }
    if (ticket.expiresAt().getEpochSecond() < clock.instant().getEpochSecond()) {
      throw OAuthException.invalidCallback("the authorization link expired; ask the agent for a new one");
    }
    return ticket;
  }

  private Ticket decode(String sealed) {
    try {
      JsonObject json = new JsonObject(cipher.open(new SealedSecret(sealed), SealedContexts.OAUTH_TICKET));
      if (!(json.getValue("a") instanceof String account) || !(json.getValue("s") instanceof String server)
          || !(json.getValue("u") instanceof String subject) || !whole(json.getValue("iat")) || !whole(json.getValue("exp"))) {
        return null;
      }
      return new Ticket(account, server, subject, Instant.ofEpochMilli(json.getLong("iat")), Instant.ofEpochSecond(json.getLong("exp")));
    } catch (RuntimeException notOurs) { // does not open with this key and context, or is not a JSON object
      return null;
    }
  }

  private static boolean whole(Object number) {
    return number instanceof Integer || number instanceof Long;
  }
}
