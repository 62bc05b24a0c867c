package dev.herald.notification;

import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.DeliveryStatus;
import dev.herald.queue.JobRunner;
import dev.herald.store.Database;
import dev.herald.template.Templates;
import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Page;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Times;
import dev.herald.web.Validation;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Sending, reading, listing and canceling notifications, and their deliveries. */
public final class NotificationRoutes implements Routes {
  private static final Set<String> DELIVERY_STATUSES =
      Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::key).collect(Collectors.toSet());

  private final Access access;
  private final Database db;
  private final NotificationService service;
  private final NotificationRepository notifications;
  private final DeliveryRepository deliveries;
  private final SendValidator validator;
  private final FanOut fanOut;
  private final SyncSender sync;
  private final Escalations escalations;
  private final Clock clock;

  public NotificationRoutes(
      Access access,
      Database db,
      NotificationService service,
      NotificationRepository notifications,
      DeliveryRepository deliveries,
      FanOut fanOut,
      JobRunner runner,
      Duration defaultTtl,
      Clock clock,
      Templates templates,
      Escalations escalations) {
    this.access = access;
    this.db = db;
    this.service = service;
    this.notifications = notifications;
    this.deliveries = deliveries;
    this.validator = new SendValidator(defaultTtl, templates);
    this.fanOut = fanOut;
    this.sync = new SyncSender(runner);
    this.escalations = escalations;
    this.clock = clock;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.post("/v1/notifications", this::send);
    r.get("/v1/notifications", this::list);
    r.get("/v1/notifications/{id}", this::get);
    r.get("/v1/notifications/{id}/deliveries", this::deliveries);
    r.post("/v1/notifications/{id}/cancel", this::cancel);
  }

  private void send(Context ctx) {
    String appId = access.secret(ctx);
    SendRequest request = Requests.body(ctx, SendRequest.class);
    Optional<String> key = Optional.ofNullable(ctx.header("Idempotency-Key"));
    key.ifPresent(
        k ->
            new Validation()
                .check(
                    !k.isBlank() && k.length() <= 255,
                    "Idempotency-Key",
                    "must be 1-255 characters")
                .throwIfInvalid());
    Send send = validator.validate(appId, request, clock.millis());
    if (Boolean.TRUE.equals(request.dryRun())) {
      ctx.json(Escalations.dryRun(fanOut, appId, send, clock.millis()));
      return;
    }
    boolean isSync = Boolean.TRUE.equals(request.sync());
    if (isSync) checkSyncSize(appId, send);
    Long requestedSendAt =
        request.sendAt() == null ? null : Times.parse("send_at", request.sendAt());
    NotificationService.Accepted accepted =
        service.accept(appId, send, requestedSendAt, key, isSync);
    Notification n = accepted.notification();
    if (isSync && accepted.created()) {
      sync.deliver(accepted);
    }
    Notification current = isSync ? notifications.find(appId, n.id()).orElseThrow() : n;
    Map<String, Object> body = view(current);
    if (isSync) {
      body.put(
          "deliveries",
          deliveries.ofNotification(n.id(), Optional.empty(), Optional.empty(), 10_000).stream()
              .map(NotificationViews::delivery)
              .toList());
    }
    if (!accepted.created()) {
      ctx.header("Idempotent-Replayed", "true");
      ctx.status(200);
    } else {
      ctx.status(isSync ? 200 : 202);
    }
    ctx.header("Location", "/v1/notifications/" + n.id());
    ctx.json(body);
  }

  private void checkSyncSize(String appId, Send send) {
    long n = send.audience().devices().size() + send.audience().tokens().size();
    n +=
        send.audience().selectsBeyondList()
            ? db.read(h -> AudienceQuery.count(h, db.dialect(), appId, send.audience()))
            : send.audience().subscribers().size();
    if (n > SyncSender.MAX_RECIPIENTS) {
      throw ApiException.invalid(
          "sync",
          "is limited to " + SyncSender.MAX_RECIPIENTS + " recipients; this send selects " + n);
    }
  }

  private void get(Context ctx) {
    String appId = access.secret(ctx);
    ctx.json(view(find(appId, ctx.pathParam("id"))));
  }

  private void list(Context ctx) {
    String appId = access.secret(ctx);
    int limit = Requests.limit(ctx);
    Optional<String> status = Requests.choice(ctx, "status", NotificationStatus.ALL);
    Optional<String> category =
        Optional.ofNullable(ctx.queryParam("category")).filter(c -> !c.isEmpty());
    ctx.json(
        Page.of(
                notifications.list(appId, status, category, Requests.cursor(ctx), limit + 1),
                limit,
                Notification::id)
            .map(NotificationViews::view));
  }

  private void deliveries(Context ctx) {
    String appId = access.secret(ctx);
    Notification n = find(appId, ctx.pathParam("id"));
    int limit = Requests.limit(ctx);
    Optional<String> status = Requests.choice(ctx, "status", DELIVERY_STATUSES);
    ctx.json(
        Page.of(
                deliveries.ofNotification(n.id(), status, Requests.cursor(ctx), limit + 1),
                limit,
                dev.herald.delivery.Delivery::id)
            .map(NotificationViews::delivery));
  }

  private void cancel(Context ctx) {
    String appId = access.secret(ctx);
    ctx.json(view(service.cancel(appId, ctx.pathParam("id"))));
  }

  /** One notification as answered on its own: with its escalation steps, if it has any. */
  private Map<String, Object> view(Notification n) {
    Map<String, Object> body = NotificationViews.view(n);
    List<Map<String, Object>> steps = escalations.view(n);
    if (steps != null) body.put("escalation", steps);
    return body;
  }

  private Notification find(String appId, String id) {
    return notifications.find(appId, id).orElseThrow(() -> ApiException.notFound("notification"));
  }
}
