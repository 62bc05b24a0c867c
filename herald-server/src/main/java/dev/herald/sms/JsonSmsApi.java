package dev.herald.sms;

import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.web.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Any SMS gateway that takes Herald's JSON: {@code POST url} with {@code {"to", "from", "text",
 * "delivery_id"}} and the configured headers (e.g. its API key).
 */
final class JsonSmsApi implements SmsApi {
  private final URI url;
  private final Map<String, String> headers;
  private final String from;

  @SuppressWarnings("unchecked")
  JsonSmsApi(Map<String, Object> config) {
    this.url = URI.create((String) config.get("url"));
    this.headers =
        config.get("headers") instanceof Map<?, ?> h ? (Map<String, String>) h : Map.of();
    this.from = (String) config.get("from");
  }

  @Override
  public HttpRequest request(Message m, String text) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("to", m.address());
    body.put("from", from);
    body.put("text", text);
    body.put("delivery_id", m.deliveryId());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(TwilioApi.TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", m.deliveryId());
    headers.forEach(b::header);
    return b.POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
  }

  @Override
  public SendOutcome outcome(int status, String body, String retryAfter, Instant now) {
    return SmsResponses.http(status, body, retryAfter, now);
  }
}
