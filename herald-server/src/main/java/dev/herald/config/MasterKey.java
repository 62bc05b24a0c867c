package dev.herald.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The key that encrypts provider credentials at rest: {@code HERALD_MASTER_KEY} when set, else
 * {@code $HERALD_DATA_DIR/master.key}, generated (256 random bits, mode 0600) on first start.
 * Losing it makes stored credentials unreadable, so operators back it up with the database.
 */
public final class MasterKey {
  public static final String FILE = "master.key";

  private MasterKey() {}

  /** The 32 key bytes. */
  public static byte[] load(Optional<String> configured, Path dataDir) {
    if (configured.isPresent()) return decode(configured.get(), "HERALD_MASTER_KEY");
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(dataDir);
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
        return key;
      }
      return decode(Files.readString(file, StandardCharsets.UTF_8).trim(), file.toString());
    } catch (IOException e) {
      throw new ConfigException(
          "Cannot read or create the master key " + file + ": " + e.getMessage());
    }
  }

  private static byte[] decode(String text, String source) {
    try {
      byte[] key = Base64.getDecoder().decode(text.trim());
      if (key.length == 32) return key;
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw new ConfigException(
        source + " must hold 32 bytes in base64 (e.g. `openssl rand -base64 32`)");
  }
}
