package dev.herald.push;

import java.time.Duration;

/** What a push provider said about one message. Callers switch on it; there is no other case. */
public sealed interface PushResult {
  /**
   * Taken by the provider; {@code providerId} (apns-id, FCM message name, Expo ticket id) may be
   * null.
   */
  record Accepted(String providerId) implements PushResult {}

  /**
   * Refused for good: never retried. {@code tokenInvalid} means the device token or subscription is
   * gone and must not be used again; {@code reason} is the provider's code, e.g. {@code
   * BadDeviceToken}.
   */
  record Rejected(String reason, boolean tokenInvalid) implements PushResult {}

  /**
   * Failed for now; retry after the backoff, or after {@code retryAfter} when the provider said so.
   */
  record Retry(String reason, Duration retryAfter) implements PushResult {}
}
