package dev.herald.webhook;

/**
 * One call to an endpoint. {@code attempt} numbers the calls of one message to one endpoint from 1,
 * replays included; {@code responseStatus} is null when no answer came ({@code error} says why).
 */
record Attempt(
    String id,
    String appId,
    String webhookId,
    String messageId,
    String eventType,
    int attempt,
    String trigger,
    boolean succeeded,
    Integer responseStatus,
    String responseBody,
    String error,
    long durationMs,
    long createdAt) {
  static final String SCHEDULED = "scheduled";
  static final String REPLAY = "replay";
}
