package dev.herald.provider;

import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.push.apns.ApnsClient;
import dev.herald.push.apns.ApnsEnvironment;
import dev.herald.push.apns.ApnsErrors;
import dev.herald.push.apns.ApnsNotification;
import java.net.URI;
import java.util.List;

/** The push channel through APNs: one HTTP/2 client per app, many streams over few connections. */
final class ApnsSender implements DeliverySender {
  private final ApnsClient client;

  private ApnsSender(ApnsClient client) {
    this.client = client;
  }

  static ProviderSenders.Built build(Providers.Credentials c, ProviderTrust trust) {
    var cfg = c.config();
    var b =
        ApnsClient.builder()
            .teamId((String) cfg.get("team_id"))
            .keyId((String) cfg.get("key_id"))
            .signingKey((String) cfg.get("signing_key"))
            .topic((String) cfg.get("topic"))
            .environment(
                "sandbox".equals(cfg.get("environment"))
                    ? ApnsEnvironment.SANDBOX
                    : ApnsEnvironment.PRODUCTION)
            .trustedCertificates(trust.extraCertificates());
    if (cfg.get("endpoint") instanceof String endpoint) b.endpoint(URI.create(endpoint));
    ApnsClient client = b.build();
    return new ProviderSenders.Built(new ApnsSender(client), client);
  }

  @Override
  public int batchSize() {
    return 500;
  }

  @Override
  public List<SendOutcome> send(List<Message> batch) throws Exception {
    var notifications =
        batch.stream().map(m -> new ApnsNotification(m.address(), PushMessages.from(m))).toList();
    return client.send(notifications).get().stream()
        .map(r -> PushMessages.outcome(r, ApnsErrors::isProviderAuthError))
        .toList();
  }
}
