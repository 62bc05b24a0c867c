package dev.herald.webhook;

import java.util.List;

/**
 * An endpoint as stored, without its secrets. {@code failures} counts consecutive messages that
 * failed every attempt; a success resets it.
 */
record Webhook(
    String id,
    String appId,
    String url,
    String description,
    List<String> events,
    boolean enabled,
    long failures,
    String disabledReason,
    Long disabledAt,
    Long previousSecretExpiresAt,
    long createdAt,
    long updatedAt) {

  Webhook withEnabled(boolean on, String reason, long now) {
    if (on == enabled) return this;
    return on
        ? new Webhook(
            id,
            appId,
            url,
            description,
            events,
            true,
            0,
            null,
            null,
            previousSecretExpiresAt,
            createdAt,
            now)
        : new Webhook(
            id,
            appId,
            url,
            description,
            events,
            false,
            failures,
            reason,
            now,
            previousSecretExpiresAt,
            createdAt,
            now);
  }

  Webhook withSettings(String url, List<String> events, String description, long now) {
    return new Webhook(
        id,
        appId,
        url,
        description,
        events,
        enabled,
        failures,
        disabledReason,
        disabledAt,
        previousSecretExpiresAt,
        createdAt,
        now);
  }

  /** An endpoint with its secrets opened: what a call needs. */
  record Target(Webhook webhook, List<SigningSecret> secrets) {}
}
