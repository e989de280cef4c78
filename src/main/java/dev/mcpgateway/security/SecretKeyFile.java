package dev.mcpgateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that seals secrets at rest: {@code GATEWAY_SECRET_KEY} (base64 of 32 bytes) when set,
 * otherwise a key file in the data directory, generated on first start with owner-only
 * permissions. Blocking file I/O: call it at start-up, off the event loop.
 */
public final class SecretKeyFile {
  public static final String FILE_NAME = "secret.key";

  private SecretKeyFile() {}

  public static byte[] resolve(String configuredBase64, Path dataDir, SecureRandom random) throws IOException {
    if (configuredBase64 != null && !configuredBase64.isBlank()) return decode(configuredBase64, "GATEWAY_SECRET_KEY");
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
    byte[] key = new byte[SecretCipher.KEY_BYTES];
    random.nextBytes(key);
    Files.createDirectories(dataDir);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      // another process won the race: use its key
      return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
    }
    Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
        StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    return key;
  }

  private static byte[] decode(String base64, String source) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + " is not valid base64");
    }
    if (key.length != SecretCipher.KEY_BYTES) {
      throw new IllegalArgumentException(source + " must decode to " + SecretCipher.KEY_BYTES + " bytes, got " + key.length);
    }
    return key;
  }
}
