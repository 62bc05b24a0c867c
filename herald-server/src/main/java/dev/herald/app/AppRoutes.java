package dev.herald.app;

import dev.herald.app.AppRepository.ApiKey;
import dev.herald.app.AppRepository.App;
import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Page;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Times;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code /v1/apps} (admin key) and {@code /v1/keys} (secret key). */
public final class AppRoutes implements Routes {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private final Access access;
  private final AppRepository repo;
  private final AppService service;

  public AppRoutes(Access access, AppRepository repo, AppService service) {
    this.access = access;
    this.repo = repo;
    this.service = service;
  }

  record CreateApp(String name) {}

  record CreateKey(String kind, String name) {}

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.post("/v1/apps", this::createApp);
    r.get("/v1/apps", this::listApps);
    r.post("/v1/keys", this::createKey);
    r.get("/v1/keys", this::listKeys);
    r.delete("/v1/keys/{id}", this::revokeKey);
  }

  private void createApp(Context ctx) {
    access.admin(ctx);
    CreateApp req = Requests.body(ctx, CreateApp.class);
    if (req.name() == null || !NAME.matcher(req.name()).matches()) {
      throw ApiException.invalid("name", "is required: 1-64 letters, digits, '_', '.' or '-'");
    }
    AppService.CreatedApp created = service.create(req.name(), Optional.empty(), Optional.empty());
    Map<String, Object> body = app(created.app());
    body.put("secret_key", created.secretKey());
    body.put("publishable_key", created.publishableKey());
    body.put("subscriber_signing_secret", created.app().subscriberSecret());
    ctx.status(201).json(body);
  }

  private void listApps(Context ctx) {
    access.admin(ctx);
    int limit = Requests.limit(ctx);
    ctx.json(
        Page.of(repo.apps(Requests.cursor(ctx), limit + 1), limit, App::id).map(AppRoutes::app));
  }

  private void createKey(Context ctx) {
    String appId = access.secret(ctx);
    CreateKey req = Requests.body(ctx, CreateKey.class);
    if (req.kind() == null || !(req.kind().equals("secret") || req.kind().equals("publishable"))) {
      throw ApiException.invalid("kind", "must be secret or publishable");
    }
    if (req.name() != null && req.name().length() > 100) {
      throw ApiException.invalid("name", "must be at most 100 characters");
    }
    AppService.IssuedKey issued = service.issue(appId, req.kind(), req.name());
    Map<String, Object> body = key(issued.key());
    body.put("key", issued.value());
    ctx.status(201).json(body);
  }

  private void listKeys(Context ctx) {
    String appId = access.secret(ctx);
    int limit = Requests.limit(ctx);
    ctx.json(
        Page.of(repo.keys(appId, Requests.cursor(ctx), limit + 1), limit, ApiKey::id)
            .map(AppRoutes::key));
  }

  private void revokeKey(Context ctx) {
    String appId = access.secret(ctx);
    service.revoke(appId, ctx.pathParam("id"));
    ctx.status(204);
  }

  private static Map<String, Object> app(App app) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", app.id());
    m.put("name", app.name());
    m.put("created_at", Times.iso(app.createdAt()));
    return m;
  }

  private static Map<String, Object> key(ApiKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id());
    m.put("kind", k.kind());
    m.put("name", k.name());
    m.put("prefix", k.prefix());
    m.put("created_at", Times.iso(k.createdAt()));
    m.put("revoked_at", Times.iso(k.revokedAt()));
    return m;
  }
}
