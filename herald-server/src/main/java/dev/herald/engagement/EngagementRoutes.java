package dev.herald.engagement;

import dev.herald.store.Database;
import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Caller;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Validation;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/events}: a client reports that a notification was opened, clicked or dismissed. A
 * subscriber token reports for its own deliveries; a secret key names a delivery, or a notification
 * and {@code subscriber_id}.
 */
public final class EngagementRoutes implements Routes {
  private static final Set<String> TYPES = Set.of("opened", "clicked", "dismissed");

  record EventRequest(String type, String notificationId, String deliveryId, String subscriberId) {}

  private final Access access;
  private final Database db;
  private final Engagements engagements;

  public EngagementRoutes(Access access, Database db, Engagements engagements) {
    this.access = access;
    this.db = db;
    this.engagements = engagements;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.post("/v1/events", this::record);
  }

  private void record(Context ctx) {
    Caller caller = access.client(ctx);
    EventRequest req = Requests.body(ctx, EventRequest.class);
    Validation v = new Validation();
    v.check(
        req.type() != null && TYPES.contains(req.type()),
        "type",
        "must be opened, clicked or dismissed");
    v.check(
        (req.notificationId() == null) != (req.deliveryId() == null),
        "notification_id",
        "give notification_id or delivery_id (one of them)");
    if (req.notificationId() != null) v.id(req.notificationId(), "notification_id");
    if (req.deliveryId() != null) v.id(req.deliveryId(), "delivery_id");
    if (req.subscriberId() != null) v.id(req.subscriberId(), "subscriber_id");
    v.throwIfInvalid();
    Engagements.Target target =
        switch (caller) {
          case Caller.Subscriber s -> {
            if (req.subscriberId() != null && !req.subscriberId().equals(s.subscriberId())) {
              throw ApiException.notFound("subscriber");
            }
            yield new Engagements.Target(
                s.appId(), s.subscriberId(), req.notificationId(), req.deliveryId());
          }
          case Caller.AppKey k when k.secret() -> {
            if (req.deliveryId() == null && req.subscriberId() == null) {
              throw ApiException.invalid(
                  "subscriber_id", "is required with notification_id and a secret key");
            }
            yield new Engagements.Target(
                k.appId(), req.subscriberId(), req.notificationId(), req.deliveryId());
          }
          default ->
              throw ApiException.invalid(
                  "authorization", "needs a subscriber token or a secret key");
        };
    Engagements.Recorded r =
        db.write(tx -> engagements.record(tx, target, req.type()))
            .orElseThrow(() -> ApiException.notFound("notification"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", req.type());
    body.put("notification_id", r.notificationId());
    body.put("deliveries", r.deliveries());
    ctx.status(202).json(body);
  }
}
