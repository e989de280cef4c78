package dev.mcpgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.SealedSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
  private final SecureRandom random = new SecureRandom();
  private final byte[] key = new byte[32];

  @Test
  void sealedSecretsOpenOnlyWithTheSameKeyAndContext() {
    SecretCipher cipher = new SecretCipher(key, random);
    SealedSecret sealed = cipher.seal("hunter2", "acme/srv");
    assertFalse(sealed.ciphertext().contains("hunter2"));
    assertTrue(sealed.ciphertext().startsWith("v1."));
    assertEquals("hunter2", cipher.open(sealed, "acme/srv"));
    assertNotEquals(sealed, cipher.seal("hunter2", "acme/srv"), "a fresh nonce every time");
    IllegalArgumentException wrongContext = assertThrows(IllegalArgumentException.class, () -> cipher.open(sealed, "acme/other"));
    assertFalse(wrongContext.getMessage().contains("hunter2"));
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertThrows(IllegalArgumentException.class, () -> new SecretCipher(otherKey, random).open(sealed, "acme/srv"));
    String tampered = sealed.ciphertext().substring(0, sealed.ciphertext().length() - 2) + "AA";
    assertThrows(IllegalArgumentException.class, () -> cipher.open(new SealedSecret(tampered), "acme/srv"));
    assertEquals("SealedSecret[redacted]", sealed.toString());
  }

  @Test
  void theKeyFileIsGeneratedOnceWithOwnerOnlyPermissions(@TempDir Path dir) throws Exception {
    byte[] first = SecretKeyFile.resolve(null, dir, random);
    byte[] second = SecretKeyFile.resolve(null, dir, random);
    assertEquals(32, first.length);
    assertTrue(java.util.Arrays.equals(first, second));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SecretKeyFile.FILE_NAME))));
  }

  @Test
  void aConfiguredKeyMustBe32Base64Bytes(@TempDir Path dir) {
    assertThrows(IllegalArgumentException.class, () -> SecretKeyFile.resolve("c2hvcnQ=", dir, random));
    assertThrows(IllegalArgumentException.class, () -> SecretKeyFile.resolve("%%%", dir, random));
    assertFalse(Files.exists(dir.resolve(SecretKeyFile.FILE_NAME)));
  }

  @Test
  void tokensMatchByHashOnlyAndRespectAccountScope() {
    TokenSet<ApiToken> tokens = new TokenSet<>(java.util.List.of(
        new ApiToken("ops", TokenHash.sha256("ops-token"), Set.of("*")),
        new ApiToken("acme", TokenHash.sha256("acme-token"), Set.of("acme"))));
    assertEquals("ops", tokens.authenticate("ops-token").orElseThrow().name());
    assertTrue(tokens.authenticate("acme-token").orElseThrow().mayManage("acme"));
    assertFalse(tokens.authenticate("acme-token").orElseThrow().mayManage("globex"));
    assertTrue(tokens.authenticate("ops-token ").isEmpty());
    assertTrue(tokens.authenticate("").isEmpty());
    assertTrue(tokens.authenticate(null).isEmpty());
  }

  @Test
  void firstStartGeneratesAnAdminTokenPrintsItOnceAndKeepsOnlyItsHash(@TempDir Path dir) throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    var console = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
    var first = AdminTokenBootstrap.resolve(java.util.List.of(), null, dir, random, console);
    String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    String token = printed.lines().map(String::trim).filter(l -> l.startsWith("mgw_")).findFirst().orElseThrow();
    assertTrue(new TokenSet<>(first).authenticate(token).isPresent());
    assertFalse(Files.readString(dir.resolve(AdminTokenBootstrap.HASH_FILE)).contains(token));
    out.reset();
    var second = AdminTokenBootstrap.resolve(java.util.List.of(), null, dir, random, console);
    assertEquals("", out.toString(java.nio.charset.StandardCharsets.UTF_8), "printed only once");
    assertTrue(new TokenSet<>(second).authenticate(token).isPresent());
    var configured = AdminTokenBootstrap.resolve(java.util.List.of(), "bootstrap", dir, random, console);
    assertTrue(new TokenSet<>(configured).authenticate("bootstrap").isPresent());
    assertTrue(new TokenSet<>(configured).authenticate(token).isEmpty(), "a configured token replaces the generated one");
  }
}
