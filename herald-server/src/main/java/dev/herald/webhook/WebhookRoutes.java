package dev.herald.webhook;

import dev.herald.egress.EgressGuard;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.ErrorCode;
import dev.herald.web.Page;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Times;
import dev.herald.web.Validation;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook endpoints (secret key): create (the signing secret is shown once), list, read, update,
 * delete, rotate the secret, list attempts, and replay a message.
 */
final class WebhookRoutes implements Routes {
  static final int MAX_URL = 2048;
  static final int MAX_DESCRIPTION = 256;
  // After a rotation the old secret keeps signing this long, so receivers can switch over.
  static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

  /** {@code POST /v1/webhooks}. */
  record Create(String url, List<String> events, String secret, String description) {}

  /** {@code PATCH /v1/webhooks/{id}}: fields left out (or null) stay as they are. */
  record Update(String url, List<String> events, String description, Boolean enabled) {}

  /** {@code POST /v1/webhooks/{id}/rotate-secret}: a secret of your own, or one is generated. */
  record Rotate(String secret) {}

  private final Access access;
  private final Database db;
  private final WebhookStore webhooks;
  private final OutboxEvents events;
  private final AttemptLog attempts;
  private final WebhookSender sender;
  private final EgressGuard egress;
  private final Clock clock;
  private final Ids ids;

  WebhookRoutes(
      Access access,
      Database db,
      WebhookStore webhooks,
      OutboxEvents events,
      AttemptLog attempts,
      WebhookSender sender,
      EgressGuard egress,
      Clock clock) {
    this.access = access;
    this.db = db;
    this.webhooks = webhooks;
    this.events = events;
    this.attempts = attempts;
    this.sender = sender;
    this.egress = egress;
    this.clock = clock;
    this.ids = new Ids(clock);
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.post("/v1/webhooks", this::create);
    r.get("/v1/webhooks", this::list);
    r.get("/v1/webhooks/{id}", this::get);
    r.patch("/v1/webhooks/{id}", this::update);
    r.delete("/v1/webhooks/{id}", this::delete);
    r.post("/v1/webhooks/{id}/rotate-secret", this::rotate);
    r.get("/v1/webhooks/{id}/attempts", this::attempts);
    r.post("/v1/webhooks/{id}/messages/{message_id}/replay", this::replay);
  }

  private void create(Context ctx) {
    String appId = access.secret(ctx);
    Create req = Requests.body(ctx, Create.class);
    Validation v = new Validation();
    checkUrl(v, req.url());
    v.add(WebhookEvents.check(req.events(), "events"));
    v.maxLength(req.description(), MAX_DESCRIPTION, "description");
    Optional<SigningSecret> given =
        req.secret() == null ? Optional.empty() : SigningSecret.parse(req.secret());
    v.check(req.secret() == null || given.isPresent(), "secret", secretRule());
    v.throwIfInvalid();
    SigningSecret secret = given.orElseGet(SigningSecret::generate);
    long now = clock.millis();
    Webhook w =
        new Webhook(
            ids.next(),
            appId,
            req.url(),
            req.description(),
            WebhookEvents.normalise(req.events()),
            true,
            0,
            null,
            null,
            null,
            now,
            now);
    db.write(
        tx -> {
          webhooks.insert(tx, w, secret);
          return null;
        });
    Map<String, Object> body = view(w);
    body.put("secret", secret.text());
    ctx.status(201).json(body);
  }

  private void list(Context ctx) {
    String appId = access.secret(ctx);
    int limit = Requests.limit(ctx);
    ctx.json(
        Page.of(webhooks.list(appId, Requests.cursor(ctx), limit + 1), limit, Webhook::id)
            .map(WebhookRoutes::view));
  }

  private void get(Context ctx) {
    ctx.json(view(found(access.secret(ctx), ctx.pathParam("id"))));
  }

  private void update(Context ctx) {
    String appId = access.secret(ctx);
    String id = ctx.pathParam("id");
    Update req = Requests.body(ctx, Update.class);
    Validation v = new Validation();
    if (req.url() != null) checkUrl(v, req.url());
    if (req.events() != null) v.add(WebhookEvents.check(req.events(), "events"));
    v.maxLength(req.description(), MAX_DESCRIPTION, "description");
    v.throwIfInvalid();
    long now = clock.millis();
    Webhook updated =
        db.write(
            tx -> {
              Webhook w =
                  webhooks
                      .find(tx.handle(), appId, id)
                      .orElseThrow(() -> ApiException.notFound("webhook"));
              Webhook changed =
                  w.withSettings(
                      req.url() != null ? req.url() : w.url(),
                      req.events() != null ? WebhookEvents.normalise(req.events()) : w.events(),
                      req.description() == null
                          ? w.description()
                          : req.description().isEmpty() ? null : req.description(),
                      now);
              if (req.enabled() != null)
                changed = changed.withEnabled(req.enabled(), "disabled through the API", now);
              webhooks.update(tx, changed);
              return changed;
            });
    ctx.json(view(updated));
  }

  private void delete(Context ctx) {
    String appId = access.secret(ctx);
    String id = ctx.pathParam("id");
    if (!db.write(tx -> webhooks.delete(tx, appId, id))) throw ApiException.notFound("webhook");
    ctx.status(204);
  }

  private void rotate(Context ctx) {
    String appId = access.secret(ctx);
    Webhook w = found(appId, ctx.pathParam("id"));
    Rotate req =
        ctx.bodyAsBytes().length == 0 ? new Rotate(null) : Requests.body(ctx, Rotate.class);
    Optional<SigningSecret> given =
        req.secret() == null ? Optional.empty() : SigningSecret.parse(req.secret());
    if (req.secret() != null && given.isEmpty()) throw ApiException.invalid("secret", secretRule());
    SigningSecret next = given.orElseGet(SigningSecret::generate);
    long now = clock.millis();
    long until = now + ROTATION_OVERLAP.toMillis();
    db.write(
        tx -> {
          webhooks.rotate(tx, w, next, until, now);
          return null;
        });
    Map<String, Object> body = view(found(appId, w.id()));
    body.put("secret", next.text());
    ctx.json(body);
  }

  private void attempts(Context ctx) {
    String appId = access.secret(ctx);
    Webhook w = found(appId, ctx.pathParam("id"));
    Optional<Boolean> succeeded =
        Requests.choice(ctx, "status", Set.of("succeeded", "failed"))
            .map(s -> s.equals("succeeded"));
    Optional<String> messageId = Optional.ofNullable(ctx.queryParam("message_id"));
    messageId.ifPresent(m -> new Validation().id(m, "message_id").throwIfInvalid());
    int limit = Requests.limit(ctx);
    List<Attempt> rows =
        attempts.list(w.id(), messageId, succeeded, Requests.cursor(ctx), limit + 1);
    ctx.json(Page.of(rows, limit, Attempt::id).map(WebhookRoutes::view));
  }

  private void replay(Context ctx) {
    String appId = access.secret(ctx);
    String id = ctx.pathParam("id");
    Webhook.Target target =
        webhooks
            .target(appId, id, clock.millis())
            .orElseThrow(() -> ApiException.notFound("webhook"));
    String eventId = WebhookMessage.eventId(ctx.pathParam("message_id"));
    WebhookMessage message =
        Optional.ofNullable(eventId)
            .flatMap(e -> events.message(appId, e))
            .filter(m -> WebhookEvents.matches(target.webhook().events(), m.type()))
            .orElseThrow(() -> ApiException.notFound("message for this webhook"));
    if (!target.webhook().enabled()) {
      throw new ApiException(
          ErrorCode.CONFLICT, "the webhook is disabled; enable it before replaying");
    }
    ctx.json(view(sender.replay(target, message)));
  }

  private Webhook found(String appId, String id) {
    return webhooks.find(appId, id).orElseThrow(() -> ApiException.notFound("webhook"));
  }

  private void checkUrl(Validation v, String url) {
    if (url == null) {
      v.check(false, "url", "is required");
      return;
    }
    v.maxLength(url, MAX_URL, "url");
    egress.refusal(url).ifPresent(why -> v.check(false, "url", why));
  }

  private static String secretRule() {
    return "must be whsec_ followed by the base64 of "
        + SigningSecret.MIN_BYTES
        + " to "
        + SigningSecret.MAX_BYTES
        + " bytes";
  }

  static Map<String, Object> view(Webhook w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", w.id());
    m.put("url", w.url());
    m.put("description", w.description());
    m.put("events", w.events());
    m.put("enabled", w.enabled());
    m.put("consecutive_failures", w.failures());
    m.put("disabled_reason", w.disabledReason());
    m.put("disabled_at", Times.iso(w.disabledAt()));
    m.put("previous_secret_expires_at", Times.iso(w.previousSecretExpiresAt()));
    m.put("created_at", Times.iso(w.createdAt()));
    m.put("updated_at", Times.iso(w.updatedAt()));
    return m;
  }

  static Map<String, Object> view(Attempt a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("webhook_id", a.webhookId());
    m.put("message_id", a.messageId());
    m.put("event_type", a.eventType());
    m.put("attempt", a.attempt());
    m.put("trigger", a.trigger());
    m.put("status", a.succeeded() ? "succeeded" : "failed");
    m.put("response_status", a.responseStatus());
    m.put("response_body", a.responseBody());
    m.put("error", a.error());
    m.put("duration_ms", a.durationMs());
    m.put("created_at", Times.iso(a.createdAt()));
    return m;
  }
}
