package dev.herald.push.apns;

import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * What goes on the wire for one notification, apart from the connection-wide {@code apns-topic} and
 * {@code authorization}: path {@code /3/device/<token>}, {@code apns-push-type}, {@code
 * apns-priority}, {@code apns-expiration}, {@code apns-collapse-id} (null for none), {@code
 * apns-id} (null when the message has no id; APNs then makes one up) and the JSON body.
 */
record ApnsRequest(
    String deviceToken,
    String pushType,
    int priority,
    long expiration,
    String collapseId,
    String apnsId,
    byte[] payload) {

  /** APNs refuses longer collapse ids with 400 BadCollapseId. */
  static final int MAX_COLLAPSE_ID_BYTES = 64;

  /** APNs device tokens are 32 bytes today (64 hex digits); Apple says they may grow. */
  static final int MIN_TOKEN_HEX_DIGITS = 64;

  /** The request for {@code message} to {@code deviceToken}, sent at {@code now}. */
  static ApnsRequest of(String deviceToken, PushMessage message, Instant now) {
    boolean alert = ApnsPayload.isAlert(message);
    // APNs calls priority 10 an error for a payload with content-available (a background push).
    int priority = alert && message.priority() != PushPriority.LOW ? 10 : 5;
    long expiration = message.ttl().isZero() ? 0 : now.plus(message.ttl()).getEpochSecond();
    return new ApnsRequest(
        deviceToken,
        alert ? "alert" : "background",
        priority,
        expiration,
        message.collapseKey(),
        apnsId(message.id()),
        ApnsPayload.toJson(message));
  }

  /**
   * The {@code apns-id} for a message id: the id itself when it is a UUID, otherwise a name-based
   * UUID of it, so every resend of one message carries the same {@code apns-id}. Null for null.
   */
  static String apnsId(String messageId) {
    if (messageId == null) return null;
    if (isCanonicalUuid(messageId)) return messageId.toLowerCase(Locale.ROOT);
    return UUID.nameUUIDFromBytes(messageId.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * The reason APNs would refuse this request for good without needing to ask it, or null: {@code
   * BadDeviceToken} (not 64+ hex digits), {@code PayloadTooLarge}, {@code BadCollapseId} (over 64
   * bytes, or not printable ASCII).
   */
  String refusal() {
    if (!isHexToken(deviceToken)) return "BadDeviceToken";
    if (payload.length > ApnsPayload.MAX_BYTES) return "PayloadTooLarge";
    if (collapseId != null
        && (collapseId.getBytes(StandardCharsets.UTF_8).length > MAX_COLLAPSE_ID_BYTES
            || !isHeaderValue(collapseId))) return "BadCollapseId";
    return null;
  }

  // Plain loops: these run for every notification, where a regex costs more than the check.
  static boolean isHexToken(String token) {
    if (token.length() < MIN_TOKEN_HEX_DIGITS) return false;
    for (int i = 0; i < token.length(); i++) if (!isHex(token.charAt(i))) return false;
    return true;
  }

  static boolean isCanonicalUuid(String text) {
    if (text.length() != 36) return false;
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !isHex(c)) return false;
    }
    return true;
  }

  /**
   * Whether {@code value} may travel as an HTTP/2 header value as it is: printable ASCII, no
   * leading or trailing space (RFC 9113 §8.2.1 is looser; APNs ids and topics need no more).
   */
  static boolean isHeaderValue(String value) {
    if (value.isEmpty()) return false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) return false;
    }
    return value.charAt(0) != ' ' && value.charAt(value.length() - 1) != ' ';
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  String path() {
    return "/3/device/" + deviceToken;
  }
}
