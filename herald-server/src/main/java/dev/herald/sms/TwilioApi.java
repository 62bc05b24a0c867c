package dev.herald.sms;

import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Twilio's Messages API: {@code POST /2010-04-01/Accounts/{sid}/Messages.json}, form-encoded, with
 * HTTP basic auth (account sid and auth token). Each message asks for status callbacks at {@code
 * HERALD_PUBLIC_URL/v1/callbacks/twilio/{app}?d={delivery id}}.
 */
final class TwilioApi implements SmsApi {
  static final String DEFAULT_ENDPOINT = "https://api.twilio.com";
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI messages;
  private final String authorization;
  private final String from;
  private final String messagingService;
  private final String callbackBase;

  TwilioApi(Map<String, Object> config, String appId, String publicUrl) {
    String endpoint = config.get("endpoint") instanceof String e ? e : DEFAULT_ENDPOINT;
    String sid = (String) config.get("account_sid");
    this.messages =
        URI.create(trimSlash(endpoint) + "/2010-04-01/Accounts/" + sid + "/Messages.json");
    String credentials = sid + ":" + config.get("auth_token");
    this.authorization =
        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    this.from = (String) config.get("from");
    this.messagingService = (String) config.get("messaging_service_sid");
    this.callbackBase = TwilioCallbacks.url(publicUrl, appId);
  }

  @Override
  public HttpRequest request(Message m, String text) {
    return HttpRequest.newBuilder(messages)
        .timeout(TIMEOUT)
        .header("Authorization", authorization)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form(m, text)))
        .build();
  }

  String form(Message m, String text) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("To", m.address());
    if (messagingService != null) f.put("MessagingServiceSid", messagingService);
    else f.put("From", from);
    f.put("Body", text);
    f.put(
        "StatusCallback",
        callbackBase + "?d=" + URLEncoder.encode(m.deliveryId(), StandardCharsets.UTF_8));
    return f.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  @Override
  public SendOutcome outcome(int status, String body, String retryAfter, Instant now) {
    return SmsResponses.twilio(status, body, retryAfter, now);
  }

  static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
