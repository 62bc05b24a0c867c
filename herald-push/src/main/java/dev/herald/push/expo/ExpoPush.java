package dev.herald.push.expo;

import dev.herald.push.PushMessage;
import java.util.Objects;

/**
 * One message for one Expo push token ({@code ExponentPushToken[…]}).
 *
 * @param channelId the Android notification channel, or null for Expo's default channel
 */
public record ExpoPush(String token, PushMessage message, String channelId) {
  public ExpoPush {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(message, "message");
  }

  /** A push on the default channel. */
  public ExpoPush(String token, PushMessage message) {
    this(token, message, null);
  }
}
