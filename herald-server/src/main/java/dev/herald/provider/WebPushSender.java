package dev.herald.provider;

import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.egress.EgressGuard;
import dev.herald.push.webpush.VapidKeys;
import dev.herald.push.webpush.WebPushClient;
import dev.herald.push.webpush.WebPushRequest;
import dev.herald.push.webpush.WebPushSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The push channel through Web Push with the app's VAPID keys. Each endpoint passes the egress
 * guard again right before the send: a name that now resolves inward is refused for good.
 */
final class WebPushSender implements DeliverySender {
  private final WebPushClient client;
  private final EgressGuard egress;

  private WebPushSender(WebPushClient client, EgressGuard egress) {
    this.client = client;
    this.egress = egress;
  }

  static ProviderSenders.Built build(
      Providers.Credentials c, ProviderTrust trust, EgressGuard egress) {
    var cfg = c.config();
    WebPushClient client =
        WebPushClient.builder()
            .vapidKeys(
                VapidKeys.fromBase64Url(
                    (String) cfg.get("public_key"), (String) cfg.get("private_key")))
            .subject((String) cfg.get("subject"))
            .sslContext(trust.sslContext())
            .build();
    return new ProviderSenders.Built(new WebPushSender(client, egress), client);
  }

  @Override
  public int batchSize() {
    return 200;
  }

  @Override
  public List<SendOutcome> send(List<Message> batch) throws Exception {
    List<SendOutcome> out = new ArrayList<>(batch.size());
    List<WebPushRequest> allowed = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (Message m : batch) {
      Optional<String> refusal = egress.refusalToCall(m.address());
      if (refusal.isPresent()) {
        boolean resolvable = !refusal.get().contains("does not resolve");
        out.add(
            resolvable
                ? new SendOutcome.Rejected("endpoint " + refusal.get(), true)
                : new SendOutcome.Retry("endpoint " + refusal.get(), null));
        continue;
      }
      out.add(null);
      positions.add(out.size() - 1);
      allowed.add(
          new WebPushRequest(
              new WebPushSubscription(m.address(), m.keys().get("p256dh"), m.keys().get("auth")),
              PushMessages.from(m)));
    }
    if (!allowed.isEmpty()) {
      var results = client.send(allowed).get();
      for (int i = 0; i < results.size(); i++) {
        out.set(positions.get(i), PushMessages.outcome(results.get(i), reason -> false));
      }
    }
    return out;
  }
}
