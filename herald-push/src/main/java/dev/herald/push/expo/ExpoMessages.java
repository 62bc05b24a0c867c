package dev.herald.push.expo;

import dev.herald.push.PushMessage;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The mapping from an {@link ExpoPush} to an Expo push message, and the batching rules. Pure and
 * stateless.
 *
 * <ul>
 *   <li>{@code to}, {@code title}, {@code body} as given (absent when null); {@code data} as the
 *       JSON object it is, with {@code url} added as {@code data.url} unless the data has that key
 *       (Expo apps read links from there).
 *   <li>{@code ttl} in whole seconds, rounded up; {@code priority} HIGH and NORMAL → {@code
 *       "high"}, LOW → {@code "normal"}, as the lanes map on FCM and APNs, which Expo forwards to.
 *   <li>{@code channelId} when set. The collapse key, image and id are not sent: Expo has no field
 *       for them.
 * </ul>
 */
public final class ExpoMessages {
  /** Expo's limit for one message's payload. */
  public static final int MAX_PAYLOAD_BYTES = 4096;

  /** Expo takes at most this many messages per send request. */
  public static final int MAX_BATCH = 100;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ExpoMessages() {}

  /** The message object for one push. */
  public static ObjectNode toMessage(ExpoPush push) {
    PushMessage message = push.message();
    ObjectNode out = JSON.createObjectNode();
    out.put("to", push.token());
    if (message.title() != null) out.put("title", message.title());
    if (message.body() != null) out.put("body", message.body());
    ObjectNode data = JSON.valueToTree(message.data());
    if (message.url() != null && !data.has("url")) data.put("url", message.url());
    if (!data.isEmpty()) out.set("data", data);
    out.put("ttl", message.ttl().getSeconds() + (message.ttl().getNano() > 0 ? 1 : 0));
    out.put(
        "priority",
        switch (message.priority()) {
          case HIGH, NORMAL -> "high";
          case LOW -> "normal";
        });
    if (push.channelId() != null) out.put("channelId", push.channelId());
    return out;
  }

  /** The request body for a batch: a JSON array of messages, UTF-8. */
  public static byte[] toRequestBytes(List<ExpoPush> batch) {
    ArrayNode array = JSON.createArrayNode();
    for (ExpoPush push : batch) array.add(toMessage(push));
    return JSON.writeValueAsBytes(array);
  }

  /** The message's size as Expo counts it: the message object as JSON, UTF-8. */
  public static int payloadSize(ExpoPush push) {
    return JSON.writeValueAsBytes(toMessage(push)).length;
  }

  /** Whether Expo will take the message's size. */
  public static boolean fits(ExpoPush push) {
    return payloadSize(push) <= MAX_PAYLOAD_BYTES;
  }

  /** Consecutive slices of at most {@code size} items, in order. */
  public static <T> List<List<T>> batches(List<T> items, int size) {
    if (size < 1) throw new IllegalArgumentException("size must be positive");
    List<List<T>> batches = new ArrayList<>((items.size() + size - 1) / size);
    for (int from = 0; from < items.size(); from += size)
      batches.add(items.subList(from, Math.min(items.size(), from + size)));
    return batches;
  }
}
