package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The ticket in the URL of a portal's switches page ({@link SwitchesPage}): compact JSON
 * {@code {"a": account id, "p": portal id, "c": client token name, "h": holder,
 * "hx": when the holder's switches lapse, epoch seconds (absent: never), "exp": expiry, epoch seconds,
 * "s": the member servers a signed-in user or service token could reach when it was issued — what
 * access policies left them, which the page cannot evaluate again without their claims (absent for
 * client tokens, whose scope is the configuration's)}},
 * sealed with AES-256-GCM under {@code SecretCipher.derive("portal-switches-ticket")} with
 * associated data {@code portal_switches_ticket} ({@link SealedContexts#PORTAL_SWITCHES_TICKET}),
 * written {@code v1.<base64url>}.
 *
 * <p>It is the page's only credential (a browser has no client token): unforgeable, for exactly one
 * (account, portal, holder), opened only on that portal's path, and expiring — after
 * {@code oauth.authorization_ttl_ms}, or when the holder's session would, whichever is first. Every
 * form on the page posts it back in its body, and a POST without it changes nothing: another site
 * cannot make the browser switch anything without the ticket, which it never sees (no cookie is
 * involved, and the page sends no referrer). Unlike an OAuth link's ticket it may be used many
 * times until it expires: the page posts to itself.
 */
final class SwitchesTicket {
  /** A ticket as issued. */
  record Ticket(String accountId, String portalId, String client, ToggleHolder holder, Instant expiresAt, Set<String> servers) {}

  /** A ticket that does not open here: the page answers 403 with this message. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final SecretCipher cipher;
  private final Clock clock;
  private final Duration ttl;

  SwitchesTicket(SecretCipher gatewayCipher, Clock clock, Duration ttl) {
    this.cipher = gatewayCipher.derive("portal-switches-ticket");
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A new ticket for {@code holder}'s switches on {@code portal}, valid for the TTL or until the holder lapses. */
  String issue(Portal portal, Agent client, ToggleHolder holder) {
    Instant expires = clock.instant().plus(ttl);
    if (holder.expiresAt() != null && holder.expiresAt().isBefore(expires)) expires = holder.expiresAt();
    return encode(new Ticket(portal.accountId(), portal.id(), client.name(), holder, expires,
        client.kind() == Agent.Kind.CLIENT_TOKEN ? null : client.servers()));
  }

  String encode(Ticket ticket) {
    JsonObject json = new JsonObject().put("a", ticket.accountId()).put("p", ticket.portalId()).put("c", ticket.client())
        .put("h", ticket.holder().id());
    if (ticket.holder().expiresAt() != null) json.put("hx", ticket.holder().expiresAt().getEpochSecond());
    json.put("exp", ticket.expiresAt().getEpochSecond());
    if (ticket.servers() != null) json.put("s", new JsonArray(List.copyOf(ticket.servers())));
    return cipher.seal(json.encode(), SealedContexts.PORTAL_SWITCHES_TICKET).ciphertext();
  }

  /** The ticket, if this gateway issued it for portal {@code portalId} of {@code accountId} and it has not expired; else {@link Refused}. */
  Ticket open(String sealed, String accountId, String portalId) {
    Ticket ticket = decode(sealed);
    if (ticket == null) throw new Refused("this link is not one this gateway issued");
    if (!ticket.accountId().equals(accountId) || !ticket.portalId().equals(portalId)) throw new Refused("this link is for another portal");
    if (ticket.expiresAt().getEpochSecond() < clock.instant().getEpochSecond()) {
      throw new Refused("this link expired: ask your agent for a new one (portal_toggle_servers)");
    }
    return ticket;
  }

  private Ticket decode(String sealed) {
    try {
      JsonObject json = new JsonObject(cipher.open(new SealedSecret(sealed), SealedContexts.PORTAL_SWITCHES_TICKET));
      if (!(json.getValue("a") instanceof String account) || !(json.getValue("p") instanceof String portal)
          || !(json.getValue("c") instanceof String client) || !(json.getValue("h") instanceof String holder)
          || !whole(json.getValue("exp")) || json.containsKey("hx") && !whole(json.getValue("hx"))) {
        return null;
      }
      Instant holderExpiry = json.containsKey("hx") ? Instant.ofEpochSecond(json.getLong("hx")) : null;
      Set<String> servers = null;
      if (json.getValue("s") instanceof JsonArray reachable) {
        servers = new HashSet<>();
        for (Object id : reachable) if (id instanceof String serverId) servers.add(serverId);
      }
      return new Ticket(account, portal, client, new ToggleHolder(holder, holderExpiry), Instant.ofEpochSecond(json.getLong("exp")), servers);
    } catch (RuntimeException notOurs) { // does not open with this key and context, or is not a JSON object
      return null;
    }
  }

  private static boolean whole(Object number) {
    return number instanceof Integer || number instanceof Long;
  }
}
