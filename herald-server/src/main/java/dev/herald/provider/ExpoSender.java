package dev.herald.provider;

import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.Receipt;
import dev.herald.delivery.ReceiptChecker;
import dev.herald.delivery.SendOutcome;
import dev.herald.push.expo.ExpoClient;
import dev.herald.push.expo.ExpoPush;
import dev.herald.push.expo.ExpoReceipt;
import dev.herald.push.expo.ExpoTickets;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The push channel through Expo: tickets now, receipts after {@code HERALD_RECEIPT_DELAY}. */
final class ExpoSender implements DeliverySender {
  private final ExpoClient client;

  private ExpoSender(ExpoClient client) {
    this.client = client;
  }

  static ProviderSenders.Built build(Providers.Credentials c, ProviderTrust trust) {
    var b = ExpoClient.builder().sslContext(trust.sslContext());
    if (c.config().get("access_token") instanceof String token) b.accessToken(token);
    if (c.config().get("endpoint") instanceof String endpoint) b.endpoint(URI.create(endpoint));
    ExpoClient client = b.build();
    return new ProviderSenders.Built(new ExpoSender(client), client);
  }

  /** Expo takes at most 100 messages a request; the client splits larger batches itself. */
  @Override
  public int batchSize() {
    return 100;
  }

  @Override
  public List<SendOutcome> send(List<Message> batch) throws Exception {
    var pushes = batch.stream().map(m -> new ExpoPush(m.address(), PushMessages.from(m))).toList();
    return client.send(pushes).get().stream()
        .map(r -> PushMessages.outcome(r, ExpoTickets::isAuthError))
        .toList();
  }

  @Override
  public Optional<ReceiptChecker> receipts() {
    return Optional.of(
        ids -> {
          Map<String, Receipt> out = new LinkedHashMap<>();
          client
              .getReceipts(ids)
              .get()
              .forEach(
                  (id, r) ->
                      out.put(
                          id,
                          switch (r) {
                            case ExpoReceipt.Delivered d -> new Receipt.Delivered();
                            case ExpoReceipt.TokenInvalid t -> new Receipt.TokenInvalid(t.reason());
                            case ExpoReceipt.Failed f -> new Receipt.Failed(f.reason());
                          }));
          return out;
        });
  }
}
