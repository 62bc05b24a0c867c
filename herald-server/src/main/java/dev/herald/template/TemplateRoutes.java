package dev.herald.template;

import dev.herald.subscriber.Subscriber;
import dev.herald.subscriber.SubscriberRepository;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /v1/templates}: write, read, list and delete templates, and preview their rendering. */
public final class TemplateRoutes implements Routes {
  private final Access access;
  private final Templates templates;
  private final SubscriberRepository subscribers;

  public TemplateRoutes(Access access, Templates templates, SubscriberRepository subscribers) {
    this.access = access;
    this.templates = templates;
    this.subscribers = subscribers;
  }

  record PreviewRequest(
      String locale,
      Map<String, Object> vars,
      String subscriberId,
      Integer version,
      List<Map<String, Object>> items) {}

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.put("/v1/templates/{key}", this::put);
    r.get("/v1/templates/{key}", this::get);
    r.delete("/v1/templates/{key}", this::delete);
    r.get("/v1/templates", this::list);
    r.post("/v1/templates/{key}/preview", this::preview);
  }

  private void put(Context ctx) {
    String appId = access.secret(ctx);
    String key = key(ctx);
    TemplateSource source = Requests.body(ctx, TemplateSource.class);
    TemplateRepository.Written written = templates.put(appId, key, source);
    ctx.status(written.created() ? 201 : 200)
        .json(view(templates.find(appId, key, Optional.of(written.version())).orElseThrow()));
  }

  private void get(Context ctx) {
    String appId = access.secret(ctx);
    String key = key(ctx);
    Optional<Integer> version = version(ctx.queryParam("version"));
    ctx.json(view(stored(appId, key, version)));
  }

  private void delete(Context ctx) {
    String appId = access.secret(ctx);
    if (!templates.delete(appId, key(ctx))) throw ApiException.notFound("template");
    ctx.status(204);
  }

  private void list(Context ctx) {
    String appId = access.secret(ctx);
    int limit = Requests.limit(ctx);
    ctx.json(
        Page.of(
                templates.list(appId, Requests.cursor(ctx), limit + 1),
                limit,
                TemplateRepository.Stored::key)
            .map(TemplateRoutes::summary));
  }

  private void preview(Context ctx) {
    String appId = access.secret(ctx);
    String key = key(ctx);
    PreviewRequest body =
        ctx.bodyAsBytes().length == 0
            ? new PreviewRequest(null, null, null, null, null)
            : Requests.body(ctx, PreviewRequest.class);
    Validation v = new Validation();
    v.check(
        body.locale() == null || Locales.wellFormed(body.locale()),
        "locale",
        "must be a BCP 47 language tag such as de-AT");
    v.check(body.version() == null || body.version() >= 1, "version", "must be 1 or more");
    if (body.subscriberId() != null) v.id(body.subscriberId(), "subscriber_id");
    v.check(
        body.items() == null || (body.items().size() <= 1_000 && !body.items().contains(null)),
        "items",
        "must be at most 1000 objects");
    v.throwIfInvalid();
    Subscriber subscriber = null;
    if (body.subscriberId() != null) {
      subscriber =
          subscribers
              .find(appId, body.subscriberId())
              .orElseThrow(() -> ApiException.invalid("subscriber_id", "unknown subscriber"));
    }
    int version = stored(appId, key, Optional.ofNullable(body.version())).version();
    CompiledTemplate template = templates.version(appId, key, version);
    Map<String, Object> vars = body.vars() == null ? Map.of() : body.vars();
    String locale =
        body.locale() != null ? body.locale() : subscriber == null ? null : subscriber.locale();
    Rendered rendered =
        body.items() == null
            ? template.render(locale, vars, subscriber)
            : template.renderDigest(locale, vars, subscriber, body.items());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", key);
    out.put("version", version);
    out.put("locale", rendered.locale());
    out.putAll(rendered.view());
    out.put("missing_vars", body.items() == null ? template.missingVars(vars) : List.of());
    ctx.json(out);
  }

  private TemplateRepository.Stored stored(String appId, String key, Optional<Integer> version) {
    return templates
        .find(appId, key, version)
        .orElseThrow(
            () -> ApiException.notFound(version.isPresent() ? "template version" : "template"));
  }

  private static Map<String, Object> view(TemplateRepository.Stored s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", s.key());
    m.put("version", s.version());
    m.put("latest_version", s.latestVersion());
    m.putAll(Json.map(s.source()));
    m.put("created_at", Times.iso(s.createdAt()));
    m.put("updated_at", Times.iso(s.writtenAt()));
    return m;
  }

  private static Map<String, Object> summary(TemplateRepository.Stored s) {
    TemplateSource source = Json.MAPPER.readValue(s.source(), TemplateSource.class);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", s.key());
    m.put("version", s.version());
    m.put("default_locale", source.defaultLocale());
    m.put("locales", List.copyOf(source.locales().keySet()));
    m.put(
        "digest_locales",
        source.digest() == null ? List.of() : List.copyOf(source.digest().keySet()));
    m.put("created_at", Times.iso(s.createdAt()));
    m.put("updated_at", Times.iso(s.writtenAt()));
    return m;
  }

  private static String key(Context ctx) {
    String key = ctx.pathParam("key");
    new Validation()
        .check(
            Templates.KEY.matcher(key).matches(),
            "key",
            "must be 1-64 lower-case letters, digits or . _ - (starting with a letter or digit)")
        .throwIfInvalid();
    return key;
  }

  private static Optional<Integer> version(String raw) {
    if (raw == null || raw.isEmpty()) return Optional.empty();
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1) return Optional.of(n);
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiException.invalid("version", "must be a whole number from 1");
  }
}
