package dev.herald.push.apns;

import dev.herald.push.PushMessage;
import java.util.Objects;

/** One message for one device: the hex device token the app registered, and what to show. */
public record ApnsNotification(String deviceToken, PushMessage message) {
  public ApnsNotification {
    Objects.requireNonNull(deviceToken, "deviceToken");
    Objects.requireNonNull(message, "message");
  }
}
