package dev.herald.sms;

import dev.herald.app.AppRepository;
import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.Receipt;
import dev.herald.notification.LateOutcomes;
import dev.herald.provider.Providers;
import dev.herald.store.Database;
import dev.herald.web.ApiException;
import dev.herald.web.ErrorCode;
import dev.herald.web.Routes;
import dev.herald.web.Validation;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/callbacks/twilio/{app}?d={delivery}}: Twilio's message status callbacks. Only a
 * request signed with the app's auth token is believed (403 otherwise, and nothing changes). {@code
 * delivered} moves the delivery from sent to delivered; {@code undelivered} and {@code failed} move
 * it to failed with Twilio's error code as the reason; the notification's counts and status follow.
 * Interim statuses (queued, sent, …), deliveries Herald no longer has, and repeated reports are
 * answered 200 and ignored, so Twilio does not report them as errors.
 */
public final class TwilioCallbacks implements Routes {
  static final String PATH = "/v1/callbacks/twilio/";

  private final String publicUrl;
  private final AppRepository apps;
  private final Providers providers;
  private final Database db;
  private final DeliveryRepository deliveries;
  private final LateOutcomes outcomes;

  public TwilioCallbacks(
      String publicUrl,
      AppRepository apps,
      Providers providers,
      Database db,
      DeliveryRepository deliveries,
      LateOutcomes outcomes) {
    this.publicUrl = TwilioApi.trimSlash(publicUrl);
    this.apps = apps;
    this.providers = providers;
    this.db = db;
    this.deliveries = deliveries;
    this.outcomes = outcomes;
  }

  /** The callback URL for an app's messages, without the delivery parameter. */
  static String url(String publicUrl, String appId) {
    return TwilioApi.trimSlash(publicUrl) + PATH + appId;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.post(PATH + "{app}", this::status);
  }

  private void status(Context ctx) {
    String appId = ctx.pathParam("app");
    Map<String, List<String>> params = ctx.formParamMap();
    String query = ctx.queryString();
    // The URL as Twilio requested it: Herald's public address, then the path and query it got.
    String url = publicUrl + ctx.path() + (query == null ? "" : "?" + query);
    // Only real apps reach the credentials cache: anyone may call this route with any path.
    boolean known = Validation.ID.matcher(appId).matches() && apps.app(appId).isPresent();
    String authToken =
        !known
            ? null
            : providers
                .find(appId, "sms")
                .filter(c -> "twilio".equals(c.config().get("type")))
                .map(c -> (String) c.config().get("auth_token"))
                .orElse(null);
    if (authToken == null
        || !TwilioSignature.verify(authToken, url, params, ctx.header("X-Twilio-Signature"))) {
      throw new ApiException(
          ErrorCode.FORBIDDEN,
          "X-Twilio-Signature is missing or does not match this app's Twilio auth token");
    }
    Optional<Receipt> receipt =
        receipt(
            first(params, "MessageStatus"),
            first(params, "ErrorCode"),
            first(params, "ErrorMessage"));
    String deliveryId = ctx.queryParam("d");
    if (receipt.isEmpty() || deliveryId == null) {
      ctx.status(200);
      return;
    }
    Optional<Delivery> delivery =
        deliveries.find(List.of(deliveryId)).stream()
            .filter(d -> d.appId().equals(appId) && d.channel().equals("sms"))
            .filter(
                d ->
                    d.providerMessageId() == null
                        || d.providerMessageId().equals(first(params, "MessageSid")))
            .findFirst();
    if (delivery.isPresent() && delivery.get().status().equals("pending")) {
      // Twilio answered the send but Herald has not recorded it yet: a moment later it will have.
      throw new ApiException(
          ErrorCode.UNAVAILABLE,
          "the delivery is still being recorded; report again",
          List.of(),
          Map.of("Retry-After", "1"));
    }
    delivery.ifPresent(
        d ->
            db.write(
                tx -> {
                  outcomes.apply(tx, appId, d.notificationId(), Map.of(d, receipt.get()));
                  return null;
                }));
    ctx.status(200);
  }

  /** What a final MessageStatus reports; empty for interim ones. */
  static Optional<Receipt> receipt(String status, String errorCode, String errorMessage) {
    if (status == null) return Optional.empty();
    return switch (status) {
      case "delivered" -> Optional.of(new Receipt.Delivered());
      case "undelivered", "failed" ->
          Optional.of(
              new Receipt.Failed(
                  "twilio "
                      + status
                      + (errorCode == null ? "" : " " + errorCode)
                      + (errorMessage == null ? "" : ": " + errorMessage)));
      default -> Optional.empty();
    };
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }
}
