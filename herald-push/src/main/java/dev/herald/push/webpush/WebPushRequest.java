package dev.herald.push.webpush;

import dev.herald.push.PushMessage;
import java.util.Objects;

/**
 * One message for one subscription: an element of a {@link WebPushClient#send(java.util.List)}
 * batch.
 */
public record WebPushRequest(WebPushSubscription subscription, PushMessage message) {
  public WebPushRequest {
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(message, "message");
  }
}
