package dev.herald.push.webpush;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.spec.ECPoint;
import java.util.Locale;
import java.util.Optional;

/**
 * A browser's push subscription, as {@code PushSubscription.toJSON()} gives it: the endpoint URL
 * and the {@code p256dh} (65-byte uncompressed P-256 point) and {@code auth} (16 bytes) keys, both
 * base64url.
 *
 * <p>Construction checks nothing (any part may be null); {@link #problem()} says whether the
 * subscription can be sent to, and {@link WebPushClient} rejects a message for one that cannot (as
 * token-invalid) instead of throwing.
 */
public record WebPushSubscription(String endpoint, String p256dh, String auth) {

  /** Why this subscription cannot be used, or empty when it can. */
  public Optional<String> problem() {
    try {
      parse();
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The endpoint and decoded keys, validated. */
  Parsed parse() {
    if (endpoint == null || endpoint.isBlank())
      throw new IllegalArgumentException("endpoint is missing");
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("endpoint is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null)
      throw new IllegalArgumentException("endpoint must be an absolute https URL");
    byte[] key = P256.decodeBase64Url(p256dh, "p256dh key");
    ECPoint point = P256.decodePoint(key, "p256dh key");
    byte[] secret = P256.decodeBase64Url(auth, "auth secret");
    if (secret.length != PayloadEncryption.AUTH_LENGTH)
      throw new IllegalArgumentException("auth secret must be 16 bytes, got " + secret.length);
    return new Parsed(uri, point, key, secret);
  }

  record Parsed(URI endpoint, ECPoint point, byte[] p256dh, byte[] auth) {}
}
