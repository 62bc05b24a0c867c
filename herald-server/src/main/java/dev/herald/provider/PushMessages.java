package dev.herald.provider;

import dev.herald.delivery.Content;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import dev.herald.push.PushResult;
import dev.herald.push.apns.ApnsPayload;
import dev.herald.push.expo.ExpoMessages;
import dev.herald.push.expo.ExpoPush;
import dev.herald.push.fcm.FcmMessages;
import dev.herald.push.webpush.WebPushPayload;
import dev.herald.queue.Lane;
import java.time.Duration;
import java.util.function.Predicate;

/** Between Herald's deliveries and the push library: messages in, outcomes back. */
public final class PushMessages {
  private PushMessages() {}

  /** The delivery id is the provider-side message id, so a resend is recognisable (apns-id). */
  static PushMessage from(Message m) {
    var c = m.content();
    return new PushMessage(
        m.deliveryId(),
        c.title(),
        c.body(),
        c.data(),
        c.url(),
        c.image(),
        priority(m.lane()),
        Duration.ofSeconds(m.ttlSeconds()),
        m.collapseKey());
  }

  static PushPriority priority(Lane lane) {
    return switch (lane) {
      case CRITICAL -> PushPriority.HIGH;
      case IMPORTANT -> PushPriority.NORMAL;
      case BULK -> PushPriority.LOW;
    };
  }

  /**
   * Maps a provider's answer; {@code authError} tells refused credentials from refused messages.
   */
  static SendOutcome outcome(PushResult r, Predicate<String> authError) {
    return switch (r) {
      case PushResult.Accepted a -> new SendOutcome.Accepted(a.providerId());
      case PushResult.Rejected j when authError.test(j.reason()) ->
          new SendOutcome.Misconfigured(j.reason());
      case PushResult.Rejected j -> new SendOutcome.Rejected(j.reason(), j.tokenInvalid());
      case PushResult.Retry t -> new SendOutcome.Retry(t.reason(), t.retryAfter());
    };
  }

  /**
   * Whether content fits every push provider's payload limit (about 4 KiB each; Web Push after
   * encryption), checked when a send is accepted so an oversize one is refused up front.
   */
  public static boolean fitsEveryProvider(Content content, int ttlSeconds, String collapseKey) {
    // The id is a delivery id in the real message: measure with one of the same length.
    PushMessage m =
        new PushMessage(
            "00000000000000000000000000",
            content.title(),
            content.body(),
            content.data(),
            content.url(),
            content.image(),
            PushPriority.HIGH,
            Duration.ofSeconds(ttlSeconds),
            collapseKey);
    return ApnsPayload.fits(m)
        && FcmMessages.fits(m)
        && WebPushPayload.fits(m)
        && ExpoMessages.fits(new ExpoPush("ExponentPushToken[" + "x".repeat(22) + "]", m));
  }
}
