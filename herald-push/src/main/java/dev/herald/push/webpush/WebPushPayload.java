package dev.herald.push.webpush;

import dev.herald.push.PushMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The plaintext a browser's service worker reads with {@code event.data.json()}: one UTF-8 JSON
 * object
 *
 * <pre>{@code
 * {"id": "…", "title": "…", "body": "…", "url": "…", "image": "…", "data": {…}}
 * }</pre>
 *
 * where {@code id} is the message id (for de-duplication), {@code url} the page to open on click,
 * {@code image} a picture URL, and {@code data} the custom key-value data (always present, maybe
 * {@code {}}). Members whose value is null are left out.
 *
 * <p>An encrypted body may be at most 4096 bytes, so the JSON may be at most {@link
 * #MAX_PAYLOAD_BYTES}; {@link #fits} tells at acceptance time whether a message will be sent.
 * Stateless and thread-safe.
 */
public final class WebPushPayload {
  /** 4096-byte body − 86-byte header − 16-byte tag − 1-byte delimiter. */
  public static final int MAX_PAYLOAD_BYTES = PayloadEncryption.MAX_PLAINTEXT_LENGTH;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private WebPushPayload() {}

  /** The JSON bytes for {@code message}. */
  public static byte[] encode(PushMessage message) {
    Map<String, Object> json = new LinkedHashMap<>();
    putIfPresent(json, "id", message.id());
    putIfPresent(json, "title", message.title());
    putIfPresent(json, "body", message.body());
    putIfPresent(json, "url", message.url());
    putIfPresent(json, "image", message.image());
    json.put("data", message.data());
    return JSON.writeValueAsBytes(json);
  }

  /** Whether {@code message} encrypts to a body of at most 4096 bytes. Pure; never null. */
  public static boolean fits(PushMessage message) {
    return encode(message).length <= MAX_PAYLOAD_BYTES;
  }

  /** The encrypted body length {@code message} would have, header included. */
  public static int encryptedLength(PushMessage message) {
    return PayloadEncryption.bodyLength(encode(message).length);
  }

  private static void putIfPresent(Map<String, Object> json, String key, Object value) {
    if (value != null) json.put(key, value);
  }
}
