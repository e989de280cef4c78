package dev.mcpgateway.upstream.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The authorization link's ticket as {@link TicketCodec}'s type comment documents it. */
class TicketCodecTest {
  static final SecretCipher GATEWAY = StateCodecTest.cipher(1);
  static final Instant ISSUED = Instant.parse("2026-01-02T03:04:05.678Z");
  static final Duration TTL = Duration.ofMinutes(10);
  static final TicketCodec AT_ISSUE = codecAt(ISSUED);
  /** Seals {@code json} exactly as the documented format says: key derived for "oauth-user-ticket", associated data "oauth_user_ticket". */
  static final Function<String, String> SEAL = json -> GATEWAY.derive("oauth-user-ticket").seal(json, SealedContexts.OAUTH_TICKET)
      .ciphertext();

  static TicketCodec codecAt(Instant now) {
    return new TicketCodec(GATEWAY, Clock.fixed(now, ZoneOffset.UTC), TTL);
  }

  @Test
  void anIssuedTicketOpensForItsServerWithItsUserAndMillisecondIssueTime() {
    String sealed = AT_ISSUE.issue("acme", "team", "alice");
    TicketCodec.Ticket opened = AT_ISSUE.open(sealed, "acme", "team");
    assertEquals(new TicketCodec.Ticket("acme", "team", "alice", ISSUED, Instant.parse("2026-01-02T03:14:05Z")), opened,
        "iat to the millisecond (the ticket's identity), exp in whole seconds");
    assertEquals(AT_ISSUE.open(AT_ISSUE.encode(opened), "acme", "team"), opened);
  }

  @Test
  void aTicketWrittenInTheDocumentedFormatOpens() {
    String sealed = SEAL.apply("{\"a\":\"acme\",\"s\":\"team\",\"u\":\"bob\",\"iat\":" + ISSUED.toEpochMilli() + ",\"exp\":"
        + ISSUED.plusSeconds(60).getEpochSecond() + "}");
    assertEquals(new TicketCodec.Ticket("acme", "team", "bob", ISSUED, Instant.parse("2026-01-02T03:05:05Z")),
        AT_ISSUE.open(sealed, "acme", "team"));
  }

  /** Opened this long after issue (10-minute TTL, issued at .678 of a second): expiry is compared in whole seconds. */
  @ParameterizedTest(name = "{0} ms after issue: {1}")
  @CsvSource({
      "0, opens",
      "600000, opens",
      "600321, opens",
      "600322, expired",
      "86400000, expired",
  })
  void aTicketExpiresAfterTheTtlInWholeSeconds(long millisLater, String outcome) {
    String sealed = AT_ISSUE.issue("acme", "team", "alice");
    TicketCodec later = codecAt(ISSUED.plusMillis(millisLater));
    if (outcome.equals("opens")) {
      assertEquals("alice", later.open(sealed, "acme", "team").subject());
    } else {
      assertRefused("the authorization link expired; ask the agent for a new one", () -> later.open(sealed, "acme", "team"));
    }
  }

  static Stream<Arguments> refusals() {
    String good = AT_ISSUE.issue("acme", "team", "alice");
    String notIssued = "the authorization link is not one this gateway issued";
    String elsewhere = "the authorization link is for another server";
    long iat = ISSUED.toEpochMilli();
    long exp = ISSUED.plus(TTL).getEpochSecond();
    return Stream.of(
        Arguments.of("tampered", StateCodecTest.flip(good, good.length() / 2), "acme", "team", notIssued),
        Arguments.of("truncated", good.substring(0, good.length() - 4), "acme", "team", notIssued),
        Arguments.of("another gateway's secret", new TicketCodec(StateCodecTest.cipher(2), Clock.fixed(ISSUED, ZoneOffset.UTC), TTL)
            .issue("acme", "team", "alice"), "acme", "team", notIssued),
        Arguments.of("a state, not a ticket", new StateCodec(GATEWAY).encode(AuthorizationState.user("acme", "team", "n", "c", "alice")),
            "acme", "team", notIssued),
        Arguments.of("forged", "v1.forged", "acme", "team", notIssued),
        Arguments.of("not JSON", SEAL.apply("acme team alice"), "acme", "team", notIssued),
        Arguments.of("no user", SEAL.apply("{\"a\":\"acme\",\"s\":\"team\",\"iat\":" + iat + ",\"exp\":" + exp + "}"), "acme", "team",
            notIssued),
        Arguments.of("no expiry", SEAL.apply("{\"a\":\"acme\",\"s\":\"team\",\"u\":\"alice\",\"iat\":" + iat + "}"), "acme", "team",
            notIssued),
        Arguments.of("issue time as text", SEAL.apply("{\"a\":\"acme\",\"s\":\"team\",\"u\":\"alice\",\"iat\":\"" + iat + "\",\"exp\":"
            + exp + "}"), "acme", "team", notIssued),
        Arguments.of("expiry not whole", SEAL.apply("{\"a\":\"acme\",\"s\":\"team\",\"u\":\"alice\",\"iat\":" + iat + ",\"exp\":"
            + exp + ".5}"), "acme", "team", notIssued),
        Arguments.of("user not a string", SEAL.apply("{\"a\":\"acme\",\"s\":\"team\",\"u\":42,\"iat\":" + iat + ",\"exp\":" + exp + "}"),
            "acme", "team", notIssued),
        Arguments.of("another server's link", good, "acme", "other", elsewhere),
        Arguments.of("another account's link", good, "globex", "team", elsewhere));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void anythingElseIsRefusedSayingWhy(String what, String sealed, String account, String server, String message) {
    assertRefused(message, () -> AT_ISSUE.open(sealed, account, server));
  }

  static void assertRefused(String message, org.junit.jupiter.api.function.Executable open) {
    OAuthException refused = assertThrows(OAuthException.class, open);
    assertEquals(message, refused.getMessage());
    assertEquals(OAuthException.Kind.INVALID_CALLBACK, refused.kind());
  }
}
