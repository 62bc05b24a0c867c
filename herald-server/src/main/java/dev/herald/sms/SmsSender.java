package dev.herald.sms;

import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.provider.ProviderSenders;
import dev.herald.provider.ProviderTrust;
import dev.herald.provider.Providers;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The SMS channel: one HTTP request per message through the app's provider ({@link TwilioApi} or
 * {@link JsonSmsApi}), a batch's requests in flight together. A request that fails in transit is
 * retried later; the provider's answer is mapped by {@link SmsResponses}.
 */
public final class SmsSender implements DeliverySender {
  private final HttpClient http;
  private final SmsApi api;
  private final Clock clock;

  private SmsSender(HttpClient http, SmsApi api, Clock clock) {
    this.http = http;
    this.api = api;
    this.clock = clock;
  }

  public static ProviderSenders.Built build(
      Providers.Credentials c, ProviderTrust trust, String publicUrl, Clock clock) {
    SmsApi api =
        "http".equals(c.config().get("type"))
            ? new JsonSmsApi(c.config())
            : new TwilioApi(c.config(), c.appId(), publicUrl);
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(trust.sslContext())
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    return new ProviderSenders.Built(new SmsSender(http, api, clock), http);
  }

  /** Twilio refuses more than about 100 concurrent requests per account; stay well under. */
  @Override
  public int batchSize() {
    return 25;
  }

  @Override
  public List<SendOutcome> send(List<Message> batch) {
    List<CompletableFuture<SendOutcome>> pending = new ArrayList<>(batch.size());
    for (Message m : batch) {
      if (!PhoneNumbers.isE164(m.address())) {
        pending.add(
            CompletableFuture.completedFuture(
                new SendOutcome.Rejected("not an E.164 phone number", false)));
        continue;
      }
      pending.add(
          http.sendAsync(
                  api.request(m, m.content().smsOrDefault()), HttpResponse.BodyHandlers.ofString())
              .thenApply(
                  r ->
                      api.outcome(
                          r.statusCode(),
                          r.body(),
                          r.headers().firstValue("Retry-After").orElse(null),
                          clock.instant()))
              .exceptionally(
                  e -> new SendOutcome.Retry("sms provider unreachable: " + describe(e), null)));
    }
    return pending.stream().map(CompletableFuture::join).toList();
  }

  private static String describe(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
