package dev.herald.push.webpush;

import dev.herald.push.PushPriority;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;

/** RFC 8030 request headers from a message's fields. Pure functions. */
final class WebPushHeaders {
  /** RFC 8030 §5.4: at most 32 characters of the URL- and filename-safe base64 alphabet. */
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private WebPushHeaders() {}

  /** {@code TTL}: whole seconds the push service may keep the message; 0 means now or never. */
  static String ttl(Duration ttl) {
    return Long.toString(Math.min(ttl.toSeconds(), Integer.MAX_VALUE));
  }

  /** {@code Urgency} (RFC 8030 §5.3) from Herald's priority. */
  static String urgency(PushPriority priority) {
    return switch (priority) {
      case HIGH -> "high";
      case NORMAL -> "normal";
      case LOW -> "low";
    };
  }

  /**
   * {@code Topic} from a collapse key: the key itself when it is a valid topic, else a stable
   * 32-character base64url digest of it (the first 24 bytes of its SHA-256), so any key still
   * collapses with itself. Null for no key.
   */
  static String topic(String collapseKey) {
    if (collapseKey == null || collapseKey.isEmpty()) return null;
    if (TOPIC.matcher(collapseKey).matches()) return collapseKey;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(collapseKey.getBytes(StandardCharsets.UTF_8));
      return P256.base64Url(Arrays.copyOf(digest, 24));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
