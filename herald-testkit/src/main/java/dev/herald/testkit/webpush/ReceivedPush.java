package dev.herald.testkit.webpush;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A message the mock accepted: its VAPID authorization verified and its body decrypted.
 *
 * @param subscriptionId the {@link MockSubscription#id()} it was sent to
 * @param payload the decrypted plaintext; null when the mock was built not to decrypt
 * @param ttl the {@code TTL} header; {@code urgency}, {@code topic} likewise, null when absent
 * @param vapidSubject the JWT's {@code sub}
 * @param jwt the VAPID JWT as sent
 * @param vapidKey the {@code k=} public key
 * @param httpVersion e.g. {@code HTTP/2} or {@code HTTP/1.1}
 * @param bodyLength the encrypted body's length in bytes
 */
public record ReceivedPush(
    String subscriptionId,
    byte[] payload,
    String ttl,
    String urgency,
    String topic,
    String contentEncoding,
    String contentType,
    String vapidSubject,
    String jwt,
    String vapidKey,
    String httpVersion,
    int bodyLength,
    Instant receivedAt) {

  /** The plaintext as UTF-8 text (the JSON a service worker would read). */
  public String payloadText() {
    return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
  }
}
