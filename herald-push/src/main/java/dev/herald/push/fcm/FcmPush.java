package dev.herald.push.fcm;

import dev.herald.push.PushMessage;
import java.util.Objects;

/** One message for one FCM registration token. */
public record FcmPush(String token, PushMessage message) {
  public FcmPush {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(message, "message");
  }
}
