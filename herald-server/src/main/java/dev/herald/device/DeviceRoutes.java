package dev.herald.device;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.herald.egress.EgressGuard;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.subscriber.SubscriberRepository;
import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Caller;
import dev.herald.web.ErrorCode;
import dev.herald.web.Json;
import dev.herald.web.Page;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Times;
import dev.herald.web.Validation;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Device registration (publishable key, subscriber token or secret key), listing and unregistering
 * (secret key). Linking a device to a subscriber needs that subscriber's token or the secret key: a
 * publishable key alone registers anonymous devices only.
 */
public final class DeviceRoutes implements Routes {
  private final Access access;
  private final Database db;
  private final DeviceRepository repo;
  private final SubscriberRepository subscribers;
  private final Clock clock;
  private final Ids ids;
  private final EgressGuard egress;
  private final DeviceLifecycle lifecycle;

  public DeviceRoutes(
      Access access,
      Database db,
      DeviceRepository repo,
      SubscriberRepository subscribers,
      Clock clock,
      EgressGuard egress,
      DeviceLifecycle lifecycle) {
    this.access = access;
    this.db = db;
    this.repo = repo;
    this.subscribers = subscribers;
    this.clock = clock;
    this.ids = new Ids(clock);
    this.egress = egress;
    this.lifecycle = lifecycle;
  }

  record Keys(String p256dh, String auth) {}

  /** A Web Push subscription as browsers serialise it ({@code expirationTime} included). */
  record Subscription(
      String endpoint, Keys keys, @JsonAlias("expirationTime") Long expirationTime) {}

  record Register(
      String subscriberId,
      String provider,
      String token,
      String platform,
      Subscription subscription,
      Map<String, Object> deviceInfo) {}

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.post("/v1/devices", this::registerDevice);
    r.get("/v1/subscribers/{id}/devices", this::list);
    r.delete("/v1/devices/{id}", this::unregister);
  }

  private void registerDevice(Context ctx) {
    Caller caller = access.client(ctx);
    Register req = Requests.body(ctx, Register.class);
    String appId;
    String subscriberId = req.subscriberId();
    switch (caller) {
      case Caller.Subscriber s -> {
        if (subscriberId != null && !subscriberId.equals(s.subscriberId())) {
          throw ApiException.invalid("subscriber_id", "must be the token's own subscriber");
        }
        appId = s.appId();
        subscriberId = s.subscriberId();
      }
      case Caller.AppKey k -> {
        if (!k.secret() && subscriberId != null) {
          throw new ApiException(
              ErrorCode.FORBIDDEN,
              "linking a device to a subscriber needs that subscriber's token or a secret key");
        }
        appId = k.appId();
      }
      case Caller.Admin a -> throw new IllegalStateException();
    }
    Device candidate = validate(req, appId, subscriberId);
    String finalSubscriber = subscriberId;
    DeviceLifecycle.Registered outcome =
        db.write(
            tx -> {
              if (finalSubscriber != null) {
                subscribers.ensureExist(
                    tx, appId, List.of(finalSubscriber), candidate.lastSeenAt());
              }
              return lifecycle.register(tx, candidate);
            });
    Map<String, Object> body = view(outcome.device());
    // A publishable key is public: knowing a token must not reveal whose device it is.
    if (caller instanceof Caller.AppKey k && !k.secret()) body.put("subscriber_id", null);
    ctx.status(outcome.created() ? 201 : 200).json(body);
  }

  private Device validate(Register req, String appId, String subscriberId) {
    Validation v = new Validation();
    if (subscriberId != null) v.id(subscriberId, "subscriber_id");
    v.check(
        req.platform() == null || DeviceTokens.PLATFORMS.contains(req.platform()),
        "platform",
        "must be one of " + String.join(", ", new java.util.TreeSet<>(DeviceTokens.PLATFORMS)));
    v.check(
        req.deviceInfo() == null || Json.write(req.deviceInfo()).length() <= 4096,
        "device_info",
        "must be at most 4 KiB of JSON");
    String provider = req.provider();
    if (provider == null) {
      provider =
          req.subscription() != null ? "webpush" : DeviceTokens.infer(req.token()).orElse(null);
      v.check(provider != null, "provider", "is required when the token's shape does not tell it");
    } else {
      v.check(
          DeviceTokens.PROVIDERS.contains(provider),
          "provider",
          "must be one of apns, fcm, expo, webpush");
    }
    String token = req.token();
    String p256dh = null;
    String auth = null;
    if ("webpush".equals(provider)) {
      v.check(req.token() == null, "token", "is not used for webpush; send subscription");
      Subscription s = req.subscription();
      if (s == null) {
        v.check(false, "subscription", "is required for webpush");
      } else {
        p256dh = s.keys() == null ? null : s.keys().p256dh();
        auth = s.keys() == null ? null : s.keys().auth();
        v.add(DeviceTokens.checkSubscription(s.endpoint(), p256dh, auth, egress, "subscription"));
        token = s.endpoint();
      }
    } else if (provider != null && DeviceTokens.PROVIDERS.contains(provider)) {
      v.check(req.subscription() == null, "subscription", "is only used for webpush");
      v.add(DeviceTokens.checkToken(provider, token, "token"));
    }
    v.throwIfInvalid();
    String platform = req.platform() != null ? req.platform() : defaultPlatform(provider);
    long now = clock.millis();
    return new Device(
        ids.next(),
        appId,
        subscriberId,
        provider,
        platform,
        token,
        p256dh,
        auth,
        req.deviceInfo() == null ? null : Json.write(req.deviceInfo()),
        true,
        null,
        null,
        now,
        now);
  }

  private static String defaultPlatform(String provider) {
    return switch (provider) {
      case "apns" -> "ios";
      case "fcm" -> "android";
      case "webpush" -> "web";
      default -> null;
    };
  }

  private void list(Context ctx) {
    String appId = access.secret(ctx);
    String subscriberId = ctx.pathParam("id");
    int limit = Requests.limit(ctx);
    ctx.json(
        Page.of(
                repo.ofSubscriber(appId, subscriberId, Requests.cursor(ctx), limit + 1),
                limit,
                Device::id)
            .map(DeviceRoutes::view));
  }

  private void unregister(Context ctx) {
    String appId = access.secret(ctx);
    String id = ctx.pathParam("id");
    repo.find(appId, id).orElseThrow(() -> ApiException.notFound("device"));
    db.write(tx -> lifecycle.deactivate(tx, appId, id, "unregistered"));
    ctx.status(204);
  }

  public static Map<String, Object> view(Device d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("subscriber_id", d.subscriberId());
    m.put("provider", d.provider());
    m.put("platform", d.platform());
    if (d.provider().equals("webpush")) {
      m.put("subscription", Map.of("endpoint", d.token()));
    } else {
      m.put("token", d.token());
    }
    m.put("device_info", d.deviceInfo() == null ? null : Json.map(d.deviceInfo()));
    m.put("active", d.active());
    m.put("deactivated_at", Times.iso(d.deactivatedAt()));
    m.put("deactivated_reason", d.deactivatedReason());
    m.put("last_seen_at", Times.iso(d.lastSeenAt()));
    m.put("created_at", Times.iso(d.createdAt()));
    return m;
  }
}
