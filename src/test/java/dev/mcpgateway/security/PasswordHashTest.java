package dev.mcpgateway.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Local users' password hashes: both forms check the right password only, and a malformed one is refused without being echoed. */
class PasswordHashTest {
  @Test
  void aPbkdf2HashMatchesItsPasswordOnly() {
    String hash = PasswordHash.pbkdf2("correct horse", 1000, new SecureRandom());
    assertTrue(hash.startsWith("pbkdf2-sha256$1000$"), hash);
    assertTrue(PasswordHash.parse(hash).matches("correct horse"));
    assertFalse(PasswordHash.parse(hash).matches("correct horse "));
    assertFalse(PasswordHash.parse(hash).matches(null));
    assertFalse(hash.equals(PasswordHash.pbkdf2("correct horse", 1000, new SecureRandom())), "salted");
  }

  @Test
  void aSha256HashMatchesItsPasswordOnly() {
    PasswordHash hash = PasswordHash.parse("sha256$" + TokenHash.sha256Hex("pw").toUpperCase());
    assertTrue(hash.matches("pw"));
    assertFalse(hash.matches("pw2"));
    assertFalse(hash.toString().contains(TokenHash.sha256Hex("pw")), "toString redacts");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plaintext-password", "sha256$abc", "pbkdf2-sha256$0$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
      "pbkdf2-sha256$1000$!!$aGFzaGhhc2hoYXNoaGFzaA==", "bcrypt$2a$10$abc"})
  void malformedHashesAreRefusedWithoutEchoingThem(String text) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(text));
    assertTrue(text.isEmpty() || !refused.getMessage().contains(text), refused.getMessage());
  }
}
