package dev.mcpgateway.proxy.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.security.ClientToken;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The switches page's ticket as {@link SwitchesTicket}'s type comment documents it. */
class SwitchesTicketTest {
  static final Instant NOW = Instant.parse("2026-05-06T07:08:09Z");
  static final Duration TTL = Duration.ofMinutes(10);
  static final SecretCipher GATEWAY = cipher(7);
  static final SwitchesTicket CODEC = at(NOW);
  static final Portal TEAM = new Portal("acme", "team", "Team", "team.example", null, CodeMode.OPT_IN, false, List.of(), NOW, "t", NOW, "t");
  static final Agent AGENT = Agent.of(new ClientToken("agent", new byte[32], Set.of("acme"), Set.of()));

  static SecretCipher cipher(int seed) {
    byte[] key = new byte[SecretCipher.KEY_BYTES];
    Arrays.fill(key, (byte) seed);
    return new SecretCipher(key, new SecureRandom());
  }

  static SwitchesTicket at(Instant now) {
    return new SwitchesTicket(GATEWAY, Clock.fixed(now, ZoneOffset.UTC), TTL);
  }

  /** Seals {@code json} exactly as documented: key derived for "portal-switches-ticket", associated data "portal_switches_ticket". */
  static String seal(String json) {
    return GATEWAY.derive("portal-switches-ticket").seal(json, SealedContexts.PORTAL_SWITCHES_TICKET).ciphertext();
  }

  @Test
  void anIssuedTicketOpensForItsPortalWithClientAndHolder() {
    ToggleHolder holder = ToggleHolder.session("session-id", NOW.plus(Duration.ofHours(24)));
    SwitchesTicket.Ticket opened = CODEC.open(CODEC.issue(TEAM, AGENT, holder), "acme", "team");
    assertEquals(new SwitchesTicket.Ticket("acme", "team", "agent", holder, NOW.plus(TTL), null), opened, "a client token's scope is the configuration's");
    assertTrue(holder.id().startsWith("s:") && !holder.id().contains("session-id"), "the session id itself is never in a ticket");
  }

  @Test
  void aTicketNeverOutlivesItsSessionHolderAndATokenHolderNeverLapses() {
    ToggleHolder ending = ToggleHolder.session("s", NOW.plusSeconds(30));
    assertEquals(NOW.plusSeconds(30), CODEC.open(CODEC.issue(TEAM, AGENT, ending), "acme", "team").expiresAt());
    SwitchesTicket.Ticket token = CODEC.open(CODEC.issue(TEAM, AGENT, ToggleHolder.token(AGENT)), "acme", "team");
    assertEquals(new ToggleHolder("t:agent", null), token.holder());
  }

  @Test
  void aTicketWrittenInTheDocumentedFormatOpens() {
    String sealed = seal("{\"a\":\"acme\",\"p\":\"team\",\"c\":\"bot\",\"h\":\"s:abc\",\"hx\":" + NOW.plusSeconds(99).getEpochSecond()
        + ",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");
    assertEquals(new SwitchesTicket.Ticket("acme", "team", "bot", new ToggleHolder("s:abc", NOW.plusSeconds(99)), NOW.plusSeconds(60), null),
        CODEC.open(sealed, "acme", "team"));
  }

  @Test
  void aSignedInUsersTicketCarriesTheMembersPoliciesLeftThem() {
    Agent user = new Agent("user:alice", Agent.Kind.USER, "alice@example.com", Set.of("eng"), Set.of("acme"), Set.of("everything"));
    SwitchesTicket.Ticket opened = CODEC.open(CODEC.issue(TEAM, user, ToggleHolder.token(user)), "acme", "team");
    assertEquals(Set.of("everything"), opened.servers());
    assertEquals("user:alice", opened.client());
  }

  @ParameterizedTest(name = "{0} s after issue: {1}")
  @CsvSource({"0, opens", "600, opens", "601, expired", "86400, expired"})
  void aTicketExpiresAfterTheTtl(long secondsLater, String outcome) {
    String sealed = CODEC.issue(TEAM, AGENT, ToggleHolder.token(AGENT));
    SwitchesTicket later = at(NOW.plusSeconds(secondsLater));
    if (outcome.equals("opens")) {
      later.open(sealed, "acme", "team");
    } else {
      assertTrue(assertThrows(SwitchesTicket.Refused.class, () -> later.open(sealed, "acme", "team")).getMessage().contains("expired"));
    }
  }

  @Test
  void aTicketOpensOnlyForItsOwnPortal() {
    String sealed = CODEC.issue(TEAM, AGENT, ToggleHolder.token(AGENT));
    assertThrows(SwitchesTicket.Refused.class, () -> CODEC.open(sealed, "acme", "other"));
    assertThrows(SwitchesTicket.Refused.class, () -> CODEC.open(sealed, "globex", "team"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"a\":\"acme\",\"p\":\"team\",\"c\":\"bot\",\"exp\":4102444800}",
      "{\"a\":\"acme\",\"p\":\"team\",\"h\":\"t:bot\",\"exp\":4102444800}",
      "{\"a\":\"acme\",\"p\":\"team\",\"c\":\"bot\",\"h\":\"t:bot\",\"exp\":\"4102444800\"}",
      "{\"a\":\"acme\",\"p\":\"team\",\"c\":\"bot\",\"h\":\"t:bot\",\"hx\":\"soon\",\"exp\":4102444800}",
      "{\"a\":1,\"p\":\"team\",\"c\":\"bot\",\"h\":\"t:bot\",\"exp\":4102444800}",
      "[1,2]",
  })
  void ticketsWithMissingOrMistypedFieldsDoNotOpen(String json) {
    assertThrows(SwitchesTicket.Refused.class, () -> CODEC.open(seal(json), "acme", "team"));
  }

  @Test
  void foreignAndTamperedTicketsDoNotOpen() {
    String json = "{\"a\":\"acme\",\"p\":\"team\",\"c\":\"bot\",\"h\":\"t:bot\",\"exp\":4102444800}";
    // another gateway's secret, another purpose's key, another context
    assertThrows(SwitchesTicket.Refused.class, () -> CODEC.open(cipher(8).derive("portal-switches-ticket")
        .seal(json, SealedContexts.PORTAL_SWITCHES_TICKET).ciphertext(), "acme", "team"));
    assertThrows(SwitchesTicket.Refused.class, () -> CODEC.open(GATEWAY.derive("oauth-user-ticket")
        .seal(json, SealedContexts.PORTAL_SWITCHES_TICKET).ciphertext(), "acme", "team"));
    assertThrows(SwitchesTicket.Refused.class, () -> CODEC.open(GATEWAY.derive("portal-switches-ticket")
        .seal(json, SealedContexts.OAUTH_TICKET).ciphertext(), "acme", "team"));
    String sealed = seal(json);
    char last = sealed.charAt(sealed.length() - 2);
    String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
    assertThrows(SwitchesTicket.Refused.class, () -> CODEC.open(tampered, "acme", "team"));
    assertThrows(SwitchesTicket.Refused.class, () -> CODEC.open("not a ticket", "acme", "team"));
  }
}
