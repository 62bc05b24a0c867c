package dev.herald.provider;

import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.push.fcm.FcmClient;
import dev.herald.push.fcm.FcmErrors;
import dev.herald.push.fcm.FcmPush;
import dev.herald.push.fcm.FcmServiceAccount;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** The push channel through FCM HTTP v1, with the app's service account. */
final class FcmSender implements DeliverySender {
  private final FcmClient client;

  private FcmSender(FcmClient client) {
    this.client = client;
  }

  @SuppressWarnings("unchecked")
  static ProviderSenders.Built build(Providers.Credentials c, ProviderTrust trust) {
    var b =
        FcmClient.builder()
            .serviceAccount(
                FcmServiceAccount.from((Map<String, Object>) c.config().get("service_account")))
            .sslContext(trust.sslContext());
    if (c.config().get("endpoint") instanceof String endpoint) b.endpoint(URI.create(endpoint));
    FcmClient client = b.build();
    return new ProviderSenders.Built(new FcmSender(client), client);
  }

  @Override
  public int batchSize() {
    return 500;
  }

  @Override
  public List<SendOutcome> send(List<Message> batch) throws Exception {
    var pushes = batch.stream().map(m -> new FcmPush(m.address(), PushMessages.from(m))).toList();
    return client.send(pushes).get().stream()
        .map(r -> PushMessages.outcome(r, FcmErrors::isAuthError))
        .toList();
  }
}
