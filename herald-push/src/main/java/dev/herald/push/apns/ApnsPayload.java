package dev.herald.push.apns;

import dev.herald.push.PushMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;

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

  private ApnsPayload() {}

  /**
   * The UTF-8 JSON body for {@code message}.
   *
   * @throws tools.jackson.core.JacksonException when a data value cannot be written as JSON
   */
  public static byte[] toJson(PushMessage message) {
    StringBuilder json = new StringBuilder(256).append("{\"aps\":{");
    if (isAlert(message)) {
      json.append("\"alert\":{");
      if (message.title() != null) Json.string(json.append("\"title\":"), message.title());
      if (message.body() != null) {
        if (message.title() != null) json.append(',');
        Json.string(json.append("\"body\":"), message.body());
      }
      json.append("},\"sound\":\"default\"");
      if (message.image() != null) json.append(",\"mutable-content\":1");
    } else {
      json.append("\"content-available\":1");
    }
    json.append('}');
    for (Map.Entry<String, Object> entry : message.data().entrySet()) {
      String key = entry.getKey();
      if (key.equals("aps")
          || (key.equals("url") && message.url() != null)
          || (key.equals("image") && message.image() != null)) continue;
      Json.string(json.append(','), key);
      Json.value(json.append(':'), entry.getValue());
    }
    if (message.url() != null) Json.string(json.append(",\"url\":"), message.url());
    if (message.image() != null) Json.string(json.append(",\"image\":"), message.image());
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
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
}
