package dev.herald.provider;

import dev.herald.egress.EgressGuard;

/** The push channel's providers: APNs, FCM, Web Push and Expo. */
public final class PushSenders {
  private PushSenders() {}

  public static void addTo(ProviderSenders senders, ProviderTrust trust, EgressGuard egress) {
    senders
        .add("push", "apns", c -> ApnsSender.build(c, trust))
        .add("push", "fcm", c -> FcmSender.build(c, trust))
        .add("push", "webpush", c -> WebPushSender.build(c, trust, egress))
        .add("push", "expo", c -> ExpoSender.build(c, trust));
  }
}
