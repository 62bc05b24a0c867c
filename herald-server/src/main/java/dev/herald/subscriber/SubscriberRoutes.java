package dev.herald.subscriber;

import dev.herald.app.AppRepository;
import dev.herald.app.SubscriberTokens;
import dev.herald.sms.PhoneNumbers;
import dev.herald.store.Database;
import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Json;
import dev.herald.web.Page;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Times;
import dev.herald.web.Validation;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/** Subscribers: upsert, read, list, erase, and minting their client tokens. */
public final class SubscriberRoutes implements Routes {
  static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
  static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");
  static final int MAX_ATTRIBUTES_BYTES = 16 * 1024;
  static final long MAX_TOKEN_TTL_SECONDS = 30L * 24 * 3600;

  private final Access access;
  private final Database db;
  private final SubscriberRepository repo;
  private final AppRepository apps;
  private final SubscriberTokens tokens;
  private final Clock clock;
  private final BiPredicate<String, String> online;

  /**
   * @param online whether a subscriber holds a live inbox connection on any node (presence)
   */
  public SubscriberRoutes(
      Access access,
      Database db,
      SubscriberRepository repo,
      AppRepository apps,
      SubscriberTokens tokens,
      Clock clock,
      BiPredicate<String, String> online) {
    this.access = access;
    this.db = db;
    this.repo = repo;
    this.apps = apps;
    this.tokens = tokens;
    this.clock = clock;
    this.online = online;
  }

  record Upsert(
      String email, String phone, String locale, String timezone, Map<String, Object> attributes) {}

  record TokenRequest(Long ttlSeconds) {}

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.put("/v1/subscribers/{id}", this::upsert);
    r.get("/v1/subscribers/{id}", this::get);
    r.delete("/v1/subscribers/{id}", this::erase);
    r.get("/v1/subscribers", this::list);
    r.post("/v1/subscribers/{id}/token", this::token);
  }

  private void upsert(Context ctx) {
    String appId = access.secret(ctx);
    String id = pathId(ctx);
    Upsert body = Requests.body(ctx, Upsert.class);
    Validation v = new Validation();
    v.check(
        body.email() == null
            || (body.email().length() <= 320 && EMAIL.matcher(body.email()).matches()),
        "email",
        "must be an email address");
    v.check(
        body.phone() == null || PhoneNumbers.isE164(body.phone()),
        "phone",
        "must be an E.164 number such as +14155550100");
    v.check(
        body.locale() == null || LOCALE.matcher(body.locale()).matches(),
        "locale",
        "must be a language tag such as en or de-AT");
    v.check(
        body.timezone() == null || validZone(body.timezone()),
        "timezone",
        "must be an IANA time zone such as Europe/Berlin");
    Map<String, Object> attributes = body.attributes() == null ? Map.of() : body.attributes();
    v.check(
        Json.write(attributes).length() <= MAX_ATTRIBUTES_BYTES,
        "attributes",
        "must be at most 16 KiB of JSON");
    v.throwIfInvalid();
    long now = clock.millis();
    Subscriber s =
        new Subscriber(
            appId,
            id,
            body.email(),
            body.phone(),
            body.locale(),
            body.timezone(),
            attributes,
            now,
            now);
    boolean created = db.write(tx -> repo.upsert(tx, s));
    ctx.status(created ? 201 : 200).json(view(repo.find(appId, id).orElseThrow()));
  }

  private void get(Context ctx) {
    String appId = access.secret(ctx);
    Subscriber s =
        repo.find(appId, pathId(ctx)).orElseThrow(() -> ApiException.notFound("subscriber"));
    Map<String, Object> body = view(s);
    body.put("online", online.test(appId, s.id()));
    ctx.json(body);
  }

  private void erase(Context ctx) {
    String appId = access.secret(ctx);
    String id = pathId(ctx);
    if (!db.write(tx -> repo.erase(tx, appId, id))) throw ApiException.notFound("subscriber");
    ctx.status(204);
  }

  private void list(Context ctx) {
    String appId = access.secret(ctx);
    int limit = Requests.limit(ctx);
    ctx.json(
        Page.of(repo.list(appId, Requests.cursor(ctx), limit + 1), limit, Subscriber::id)
            .map(SubscriberRoutes::view));
  }

  private void token(Context ctx) {
    String appId = access.secret(ctx);
    String id = pathId(ctx);
    TokenRequest body =
        ctx.bodyAsBytes().length == 0
            ? new TokenRequest(null)
            : Requests.body(ctx, TokenRequest.class);
    long ttl =
        body.ttlSeconds() == null ? SubscriberTokens.DEFAULT_TTL.toSeconds() : body.ttlSeconds();
    if (ttl < 60 || ttl > MAX_TOKEN_TTL_SECONDS) {
      throw ApiException.invalid("ttl_seconds", "must be from 60 to " + MAX_TOKEN_TTL_SECONDS);
    }
    repo.find(appId, id).orElseThrow(() -> ApiException.notFound("subscriber"));
    String secret = apps.app(appId).orElseThrow().subscriberSecret();
    SubscriberTokens.Minted minted = tokens.mint(appId, secret, id, Duration.ofSeconds(ttl));
    ctx.json(Map.of("token", minted.token(), "expires_at", Times.iso(minted.expiresAt())));
  }

  private static String pathId(Context ctx) {
    String id = ctx.pathParam("id");
    new Validation().id(id, "id").throwIfInvalid();
    return id;
  }

  private static boolean validZone(String zone) {
    try {
      ZoneId.of(zone);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static Map<String, Object> view(Subscriber s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("email", s.email());
    m.put("phone", s.phone());
    m.put("locale", s.locale());
    m.put("timezone", s.timezone());
    m.put("attributes", s.attributes());
    m.put("created_at", Times.iso(s.createdAt()));
    m.put("updated_at", Times.iso(s.updatedAt()));
    return m;
  }
}
