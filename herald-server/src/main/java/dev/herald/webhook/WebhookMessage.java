package dev.herald.webhook;

import dev.herald.web.Json;
import dev.herald.web.Times;

/**
 * What an endpoint receives for one outbox event: the Standard Webhooks body {@code {"type",
 * "timestamp", "data"}}, the same bytes at every attempt and replay, and a message id ({@code
 * webhook-id}) derived from the event, so receivers can recognise repeats.
 */
record WebhookMessage(String id, String eventId, String appId, String type, String body) {
  static final String ID_PREFIX = "msg_";

  /** {@code data} is the event's payload as recorded: a JSON object. */
  static WebhookMessage of(String eventId, String appId, String type, String data, long createdAt) {
    String body =
        "{\"type\":"
            + Json.write(type)
            + ",\"timestamp\":"
            + Json.write(Times.iso(createdAt))
            + ",\"data\":"
            + data
            + "}";
    return new WebhookMessage(ID_PREFIX + eventId, eventId, appId, type, body);
  }

  /** The outbox event a message id names, or null when it names none. */
  static String eventId(String messageId) {
    return messageId.startsWith(ID_PREFIX) ? messageId.substring(ID_PREFIX.length()) : null;
  }
}
