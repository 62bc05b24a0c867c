package dev.herald.push.fcm;

import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The mapping from a {@link PushMessage} to the FCM HTTP v1 {@code messages:send} body. Pure and
 * stateless: the same message, token and clock reading give the same JSON.
 *
 * <ul>
 *   <li>{@code notification} holds title, body and image; without a title and a body the message is
 *       data-only (iOS then gets a background push: {@code content-available}, priority 5).
 *   <li>{@code data} values are strings: strings pass as they are, numbers, booleans, lists and
 *       objects become their JSON text, null values are left out. {@code url} is added as {@code
 *       data.url} unless the data already has that key, so mobile apps can open it.
 *   <li>Priority HIGH and NORMAL are Android {@code high} / APNs 10 / Urgency high or normal; LOW
 *       is {@code normal} / 5 / low. TTL becomes Android {@code ttl}, {@code apns-expiration} and
 *       Web Push {@code TTL}, capped at FCM's four weeks.
 *   <li>The collapse key becomes Android {@code collapse_key}, {@code apns-collapse-id} (when it
 *       fits APNs' 64 bytes) and the Web Push {@code Topic} (when it is ≤ 32 URL-safe base64
 *       characters, as RFC 8030 requires); a value a platform would refuse is left out for that
 *       platform rather than failing the whole message.
 *   <li>{@code url} is the Web Push {@code fcm_options.link} when it is https (FCM refuses others).
 * </ul>
 */
public final class FcmMessages {
  /** FCM's limit for a message's notification and data together. */
  public static final int MAX_PAYLOAD_BYTES = 4096;

  static final Duration MAX_TTL = Duration.ofDays(28); // FCM keeps a message four weeks at most
  private static final Pattern WEB_PUSH_TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final int APNS_COLLAPSE_ID_MAX_BYTES = 64;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private FcmMessages() {}

  /** The whole request body, {@code {"message":{…}}}, for {@code token}. */
  public static ObjectNode toRequest(String token, PushMessage message, Instant now) {
    ObjectNode body = JSON.createObjectNode();
    body.set("message", toMessage(token, message, now));
    return body;
  }

  /** {@link #toRequest} as UTF-8 JSON bytes. */
  public static byte[] toRequestBytes(String token, PushMessage message, Instant now) {
    return JSON.writeValueAsBytes(toRequest(token, message, now));
  }

  /** The {@code message} object for {@code token}. */
  public static ObjectNode toMessage(String token, PushMessage message, Instant now) {
    ObjectNode out = JSON.createObjectNode();
    out.put("token", token);
    ObjectNode notification = notification(message);
    if (notification != null) out.set("notification", notification);
    ObjectNode data = data(message);
    if (!data.isEmpty()) out.set("data", data);
    out.set("android", android(message));
    out.set("apns", apns(message, now));
    out.set("webpush", webpush(message));
    return out;
  }

  /** The bytes FCM counts against {@link #MAX_PAYLOAD_BYTES}: notification and data as JSON. */
  public static int payloadSize(PushMessage message) {
    ObjectNode payload = JSON.createObjectNode();
    ObjectNode notification = notification(message);
    if (notification != null) payload.set("notification", notification);
    payload.set("data", data(message));
    return JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8).length;
  }

  /** Whether FCM will take the message's size. */
  public static boolean fits(PushMessage message) {
    return payloadSize(message) <= MAX_PAYLOAD_BYTES;
  }

  static boolean isDataOnly(PushMessage message) {
    return message.title() == null && message.body() == null;
  }

  private static ObjectNode notification(PushMessage message) {
    if (isDataOnly(message)) return null;
    ObjectNode notification = JSON.createObjectNode();
    if (message.title() != null) notification.put("title", message.title());
    if (message.body() != null) notification.put("body", message.body());
    if (message.image() != null) notification.put("image", message.image());
    return notification;
  }

  static ObjectNode data(PushMessage message) {
    ObjectNode data = JSON.createObjectNode();
    for (Map.Entry<String, Object> entry : message.data().entrySet()) {
      Object value = entry.getValue();
      if (value == null) continue;
      data.put(entry.getKey(), value instanceof String s ? s : JSON.writeValueAsString(value));
    }
    if (message.url() != null && !message.data().containsKey("url")) data.put("url", message.url());
    return data;
  }

  private static ObjectNode android(PushMessage message) {
    ObjectNode android = JSON.createObjectNode();
    android.put("priority", message.priority() == PushPriority.LOW ? "normal" : "high");
    android.put("ttl", ttlSeconds(message) + "s");
    if (message.collapseKey() != null) android.put("collapse_key", message.collapseKey());
    return android;
  }

  private static ObjectNode apns(PushMessage message, Instant now) {
    boolean background = isDataOnly(message);
    ObjectNode headers = JSON.createObjectNode();
    // APNs refuses priority 10 for background pushes.
    headers.put("apns-priority", background || message.priority() == PushPriority.LOW ? "5" : "10");
    long ttl = ttlSeconds(message);
    headers.put("apns-expiration", ttl == 0 ? "0" : Long.toString(now.getEpochSecond() + ttl));
    headers.put("apns-push-type", background ? "background" : "alert");
    String collapse = message.collapseKey();
    if (collapse != null
        && collapse.getBytes(StandardCharsets.UTF_8).length <= APNS_COLLAPSE_ID_MAX_BYTES)
      headers.put("apns-collapse-id", collapse);
    ObjectNode apns = JSON.createObjectNode();
    apns.set("headers", headers);
    ObjectNode aps = apns.putObject("payload").putObject("aps");
    if (background) aps.put("content-available", 1);
    else if (message.image() != null) {
      aps.put("mutable-content", 1); // lets the app's extension fetch the image
      apns.putObject("fcm_options").put("image", message.image());
    }
    return apns;
  }

  private static ObjectNode webpush(PushMessage message) {
    ObjectNode webpush = JSON.createObjectNode();
    ObjectNode headers = webpush.putObject("headers");
    headers.put("TTL", Long.toString(ttlSeconds(message)));
    headers.put(
        "Urgency",
        switch (message.priority()) {
          case HIGH -> "high";
          case NORMAL -> "normal";
          case LOW -> "low";
        });
    String collapse = message.collapseKey();
    if (collapse != null && WEB_PUSH_TOPIC.matcher(collapse).matches())
      headers.put("Topic", collapse);
    if (message.url() != null && message.url().startsWith("https://"))
      webpush.putObject("fcm_options").put("link", message.url());
    return webpush;
  }

  /** Whole seconds, rounded up so a sub-second TTL does not become "now or never". */
  static long ttlSeconds(PushMessage message) {
    Duration ttl = message.ttl().compareTo(MAX_TTL) > 0 ? MAX_TTL : message.ttl();
    return ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
  }
}
