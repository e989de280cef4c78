package dev.mcpgateway.security;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Decides the API tokens in force at start. Configured tokens plus {@code GATEWAY_ADMIN_TOKEN} (held
 * only as its hash from here on). With neither, the first start generates an admin token, keeps
 * only its SHA-256 in the data directory and prints the token once, as Jenkins and Elasticsearch
 * do; later starts reuse the stored hash. Blocking file I/O: call at start-up, off the event loop.
 */
public final class AdminTokenBootstrap {
  public static final String HASH_FILE = "admin-token.sha256";
  public static final String BOOTSTRAP_NAME = "admin";

  private AdminTokenBootstrap() {}

  public static List<ApiToken> resolve(List<ApiToken> configured, String bootstrapPlaintext, Path dataDir,
      SecureRandom random, PrintStream console) throws IOException {
    List<ApiToken> tokens = new ArrayList<>(configured);
    if (bootstrapPlaintext != null) {
      tokens.add(new ApiToken(BOOTSTRAP_NAME, TokenHash.sha256(bootstrapPlaintext), Set.of(ApiToken.ALL_ACCOUNTS)));
    }
    if (!tokens.isEmpty()) return tokens;
    Path file = dataDir.resolve(HASH_FILE);
    if (Files.exists(file)) {
      return List.of(ApiToken.ofHex(BOOTSTRAP_NAME, Files.readString(file, StandardCharsets.US_ASCII).trim(),
          Set.of(ApiToken.ALL_ACCOUNTS)));
    }
    String token = mint(random);
    Files.createDirectories(dataDir);
    Path temp = dataDir.resolve(HASH_FILE + ".tmp");
    Files.deleteIfExists(temp);
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(temp);
    }
    Files.writeString(temp, TokenHash.sha256Hex(token) + "\n", StandardCharsets.US_ASCII);
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    console.println();
    console.println("*************************************************************************");
    console.println(" mcp-gateway generated an admin API token (shown once, only its hash is kept");
    console.println(" in " + file + "):");
    console.println();
    console.println("   " + token);
    console.println();
    console.println(" Use it as: Authorization: Bearer <token>");
    console.println("*************************************************************************");
    console.println();
    return List.of(new ApiToken(BOOTSTRAP_NAME, TokenHash.sha256(token), Set.of(ApiToken.ALL_ACCOUNTS)));
  }

  /** A new random token: 32 bytes of entropy, URL-safe, with a recognisable prefix for secret scanners. */
  public static String mint(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "mgw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
