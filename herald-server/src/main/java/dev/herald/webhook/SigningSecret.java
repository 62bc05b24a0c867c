package dev.herald.webhook;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * A Standard Webhooks signing secret: {@code whsec_} followed by the base64 of 24 to 64 random
 * bytes; the bytes are the HMAC key.
 */
record SigningSecret(String text) {
  static final String PREFIX = "whsec_";
  static final int MIN_BYTES = 24;
  static final int MAX_BYTES = 64;
  private static final int GENERATED_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  static SigningSecret generate() {
    byte[] key = new byte[GENERATED_BYTES];
    RANDOM.nextBytes(key);
    return new SigningSecret(PREFIX + Base64.getEncoder().encodeToString(key));
  }

  /** The secret, or empty when {@code text} is not one. */
  static Optional<SigningSecret> parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) return Optional.empty();
    try {
      int n = Base64.getDecoder().decode(text.substring(PREFIX.length())).length;
      return n >= MIN_BYTES && n <= MAX_BYTES
          ? Optional.of(new SigningSecret(text))
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  byte[] key() {
    return Base64.getDecoder().decode(text.substring(PREFIX.length()));
  }

  @Override
  public String toString() {
    return "SigningSecret[<masked>]";
  }
}
