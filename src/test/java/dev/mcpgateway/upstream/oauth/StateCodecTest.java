package dev.mcpgateway.upstream.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code state} wire format as {@link StateCodec}'s type comment documents it. */
class StateCodecTest {
  static final SecretCipher GATEWAY = cipher(1);
  static final StateCodec CODEC = new StateCodec(GATEWAY);
  /** Seals {@code json} exactly as the documented format says: key derived for "oauth-state", associated data "oauth_state". */
  static final Function<String, String> SEAL = json -> GATEWAY.derive("oauth-state").seal(json, SealedContexts.OAUTH_STATE).ciphertext();

  static SecretCipher cipher(int seed) {
    byte[] key = new byte[SecretCipher.KEY_BYTES];
    Arrays.fill(key, (byte) seed);
    return new SecretCipher(key, new SecureRandom());
  }

  static Stream<Arguments> states() {
    return Stream.of(
        Arguments.of(AuthorizationState.admin("acme", "github", "n0nce", "client-1")),
        Arguments.of(AuthorizationState.user("acme", "github", "n0nce", "client-1", "alice")),
        Arguments.of(AuthorizationState.user("a-1", "s_2", "x".repeat(22), "https://client.example/id?x=1", "Zoë / ops \"bot\"")));
  }

  @ParameterizedTest
  @MethodSource("states")
  void whatIsEncodedDecodesUnchanged(AuthorizationState state) {
    String sealed = CODEC.encode(state);
    assertEquals(true, sealed.startsWith("v1.") && sealed.chars().allMatch(c -> c > 0x20 && c < 0x7f), sealed);
    assertEquals(Optional.of(state), CODEC.decode(sealed));
    assertEquals(state.subject() != null, CODEC.decode(sealed).orElseThrow().forUser());
  }

  @Test
  void aStateWrittenInTheDocumentedFormatDecodes() {
    assertEquals(Optional.of(AuthorizationState.admin("acme", "github", "n", "c")),
        CODEC.decode(SEAL.apply("{\"a\":\"acme\",\"s\":\"github\",\"n\":\"n\",\"c\":\"c\"}")));
    assertEquals(Optional.of(AuthorizationState.user("acme", "github", "n", "c", "alice")),
        CODEC.decode(SEAL.apply("{\"a\":\"acme\",\"s\":\"github\",\"n\":\"n\",\"c\":\"c\",\"u\":\"alice\"}")));
  }

  static Stream<Arguments> notStates() {
    String good = CODEC.encode(AuthorizationState.user("acme", "github", "n0nce", "client-1", "alice"));
    return Stream.of(
        Arguments.of("tampered", flip(good, good.length() / 2)),
        Arguments.of("truncated", good.substring(0, good.length() - 4)),
        Arguments.of("another gateway's secret", new StateCodec(cipher(2)).encode(AuthorizationState.admin("acme", "github", "n", "c"))),
        Arguments.of("a ticket, not a state", new TicketCodec(GATEWAY, java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(5))
            .issue("acme", "github", "alice")),
        Arguments.of("right key, another context", GATEWAY.derive("oauth-state").seal("{\"a\":\"acme\",\"s\":\"g\",\"n\":\"n\",\"c\":\"c\"}",
            SealedContexts.OAUTH_TICKET).ciphertext()),
        Arguments.of("not JSON", SEAL.apply("acme/github")),
        Arguments.of("a JSON array", SEAL.apply("[\"acme\",\"github\"]")),
        Arguments.of("no nonce", SEAL.apply("{\"a\":\"acme\",\"s\":\"github\",\"c\":\"c\"}")),
        Arguments.of("no client", SEAL.apply("{\"a\":\"acme\",\"s\":\"github\",\"n\":\"n\"}")),
        Arguments.of("no server", SEAL.apply("{\"a\":\"acme\",\"n\":\"n\",\"c\":\"c\"}")),
        Arguments.of("account not a string", SEAL.apply("{\"a\":7,\"s\":\"github\",\"n\":\"n\",\"c\":\"c\"}")),
        Arguments.of("user not a string", SEAL.apply("{\"a\":\"acme\",\"s\":\"github\",\"n\":\"n\",\"c\":\"c\",\"u\":true}")),
        Arguments.of("empty", ""),
        Arguments.of("absent", null),
        Arguments.of("no sealed format", "acme.github.n0nce"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notStates")
  void anythingElseDoesNotDecode(String what, String state) {
    assertEquals(Optional.empty(), CODEC.decode(state), what);
  }

  /** {@code text} with the base64url character at {@code index} replaced by another one. */
  static String flip(String text, int index) {
    char c = text.charAt(index);
    return text.substring(0, index) + (c == 'A' ? 'B' : 'A') + text.substring(index + 1);
  }
}
