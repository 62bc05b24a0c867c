package dev.herald.provider;

import dev.herald.egress.EgressGuard;
import dev.herald.store.Database;
import java.time.Clock;
import java.util.Map;

/** Builds the provider registry with every kind Herald knows. */
public final class ProviderModule {
  private ProviderModule() {}

  public static Providers providers(
      Database db, byte[] masterKey, EgressGuard egress, String publicUrl, Clock clock) {
    String subject = publicUrl.startsWith("https://") ? publicUrl : "mailto:webpush@localhost";
    Map<String, ProviderSpec> specs =
        Map.of(
            "apns", new ApnsSpec(egress),
            "fcm", new FcmSpec(egress),
            "expo", new ExpoSpec(egress),
            "webpush", new WebPushSpec(subject),
            "smtp", new SmtpSpec(egress),
            "sms", new SmsSpec(egress));
    return new Providers(db, new SecretBox(masterKey), specs, clock);
  }
}
