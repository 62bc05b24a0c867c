package dev.herald.provider;

import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code PUT|GET|DELETE /v1/providers/{kind}} and the VAPID public key for browsers. */
public final class ProviderRoutes implements Routes {
  private final Access access;
  private final Providers providers;

  public ProviderRoutes(Access access, Providers providers) {
    this.access = access;
    this.providers = providers;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/v1/providers/webpush/public-key", this::publicKey);
    r.put("/v1/providers/{kind}", this::put);
    r.get("/v1/providers/{kind}", this::get);
    r.delete("/v1/providers/{kind}", this::delete);
  }

  private void put(Context ctx) {
    String appId = access.secret(ctx);
    String kind = kind(ctx);
    @SuppressWarnings("unchecked")
    Map<String, Object> body = Requests.body(ctx, Map.class);
    ctx.json(view(providers.put(appId, kind, body)));
  }

  private void get(Context ctx) {
    String appId = access.secret(ctx);
    String kind = kind(ctx);
    ctx.json(
        view(
            providers
                .find(appId, kind)
                .orElseThrow(() -> ApiException.notFound(kind + " credentials"))));
  }

  private void delete(Context ctx) {
    String appId = access.secret(ctx);
    if (!providers.delete(appId, kind(ctx))) throw ApiException.notFound("credentials");
    ctx.status(204);
  }

  private void publicKey(Context ctx) {
    String appId = access.appKey(ctx).appId();
    Providers.Credentials c = providers.webPush(appId);
    ctx.json(Map.of("public_key", c.config().get("public_key")));
  }

  private String kind(Context ctx) {
    String kind = ctx.pathParam("kind");
    if (!providers.kinds().contains(kind)) {
      throw ApiException.notFound(
          "provider kind '"
              + kind
              + "' (use one of "
              + String.join(", ", new java.util.TreeSet<>(providers.kinds()))
              + ")");
    }
    return kind;
  }

  private Map<String, Object> view(Providers.Credentials c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", c.kind());
    m.put("version", c.version());
    m.putAll(providers.redacted(c));
    return m;
  }
}
