package dev.herald.push.apns;

import dev.herald.push.PushMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON body APNs gets for a message, as pure functions.
 *
 * <p>An alert ({@code title} or {@code body} set) is {@code {"aps":{"alert":{"title","body"},
 * "sound":"default","mutable-content":1 when an image is set}, ...data, "url", "image"}}. A message
 * with neither title nor body is a background push: {@code {"aps":{"content-available":1}, ...data,
 * "url", "image"}}. Custom data sits at the top level beside {@code aps}; a data key named {@code
 * aps} is dropped (APNs reserves it), and {@code url} / {@code image} from the message win over
 * data keys of the same name.
 */
public final class ApnsPayload {
  /** APNs refuses larger payloads with 413 PayloadTooLarge (VoIP pushes may use 5 KB). */
  public static final int MAX_BYTES = 4096;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ApnsPayload() {}

  /**
   * The UTF-8 JSON body for {@code message}.
   *
   * @throws tools.jackson.core.JacksonException when a data value cannot be written as JSON
   */
  public static byte[] toJson(PushMessage message) {
    return JSON.writeValueAsBytes(toMap(message));
  }

  /**
   * Whether {@code message}'s body is within {@link #MAX_BYTES}, so APNs will not refuse it.
   *
   * @throws tools.jackson.core.JacksonException when a data value cannot be written as JSON
   */
  public static boolean fits(PushMessage message) {
    return toJson(message).length <= MAX_BYTES;
  }

  /** Whether APNs shows {@code message} to the user (alert) or wakes the app silently. */
  public static boolean isAlert(PushMessage message) {
    return message.title() != null || message.body() != null;
  }

  static Map<String, Object> toMap(PushMessage message) {
    Map<String, Object> aps = new LinkedHashMap<>();
    if (isAlert(message)) {
      Map<String, Object> alert = new LinkedHashMap<>();
      if (message.title() != null) alert.put("title", message.title());
      if (message.body() != null) alert.put("body", message.body());
      aps.put("alert", alert);
      aps.put("sound", "default");
      if (message.image() != null) aps.put("mutable-content", 1);
    } else {
      aps.put("content-available", 1);
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("aps", aps);
    message
        .data()
        .forEach(
            (key, value) -> {
              if (!key.equals("aps")) payload.put(key, value);
            });
    if (message.url() != null) payload.put("url", message.url());
    if (message.image() != null) payload.put("image", message.image());
    return payload;
  }
}
