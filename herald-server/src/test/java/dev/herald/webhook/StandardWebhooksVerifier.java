package dev.herald.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks signature, written from the specification alone (it
 * shares no code with Herald's signer): the three headers must be present, the timestamp within the
 * tolerance of the receiver's clock, and one of the space-separated {@code v1,<base64>} signatures
 * equal — compared in constant time — to HMAC-SHA256 of {@code id.timestamp.body} under the
 * secret's base64-decoded bytes.
 */
final class StandardWebhooksVerifier {
  static final Duration TOLERANCE = Duration.ofMinutes(5);

  /** Why a message did not verify. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  private final byte[] key;

  StandardWebhooksVerifier(String secret) {
    String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
    this.key = Base64.getDecoder().decode(encoded);
  }

  void verify(String id, String timestamp, String signatures, String body, Instant now)
      throws Invalid {
    if (id == null || timestamp == null || signatures == null)
      throw new Invalid("missing required headers");
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      throw new Invalid("invalid timestamp " + timestamp);
    }
    if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
      throw new Invalid("timestamp " + seconds + " is outside the tolerance of " + now);
    }
    byte[] expected = hmac(id + "." + timestamp + "." + body);
    for (String signature : signatures.split(" ")) {
      int comma = signature.indexOf(',');
      if (comma < 0 || !signature.substring(0, comma).equals("v1")) continue;
      byte[] given;
      try {
        given = Base64.getDecoder().decode(signature.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) return;
    }
    throw new Invalid("no matching signature");
  }

  boolean verifies(String id, String timestamp, String signatures, String body, Instant now) {
    try {
      verify(id, timestamp, signatures, body, now);
      return true;
    } catch (Invalid e) {
      return false;
    }
  }

  private byte[] hmac(String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
