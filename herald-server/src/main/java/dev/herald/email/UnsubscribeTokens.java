package dev.herald.email;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tokens in one-click unsubscribe links: which app, subscriber, category and channel a link
 * turns off, signed with HMAC-SHA256 under a key derived from the master key, so only Herald can
 * make one and a changed byte makes it invalid. They do not expire: a link in an old email must
 * still work (RFC 8058 asks receivers to use it long after delivery). Thread-safe.
 */
public final class UnsubscribeTokens {
  private static final String VERSION = "u1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** What one token unsubscribes; {@code category} is null for a notification without one. */
  public record Unsubscribe(String appId, String subscriberId, String category, String channel) {}

  private final SecretKeySpec key;

  public UnsubscribeTokens(byte[] masterKey) {
    // A key of its own, so a token is never valid as any other MAC Herald makes with the master
    // key.
    this.key =
        new SecretKeySpec(
            hmac(
                new SecretKeySpec(masterKey, "HmacSHA256"),
                "herald unsubscribe links".getBytes(StandardCharsets.UTF_8)),
            "HmacSHA256");
  }

  public String sign(Unsubscribe u) {
    // Ids, keys and channels never hold a newline, so it separates the fields unambiguously.
    String payload =
        String.join(
            "\n",
            VERSION,
            u.appId(),
            u.subscriberId(),
            u.category() == null ? "" : u.category(),
            u.channel());
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return B64.encodeToString(bytes) + "." + B64.encodeToString(hmac(key, bytes));
  }

  /** The token's content, or empty when it is malformed or its signature does not match. */
  public Optional<Unsubscribe> verify(String token) {
    if (token == null || token.length() > 2_048) return Optional.empty();
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) return Optional.empty();
    byte[] payload;
    byte[] mac;
    try {
      payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
      mac = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(mac, hmac(key, payload))) return Optional.empty();
    String[] f = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
    if (f.length != 5 || !f[0].equals(VERSION)) return Optional.empty();
    return Optional.of(new Unsubscribe(f[1], f[2], f[3].isEmpty() ? null : f[3], f[4]));
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
