package dev.herald.web;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;
import java.util.Set;

/**
 * CORS for the client-side routes only (devices, the VAPID key, the inbox, events): browsers from
 * {@code HERALD_CORS_ORIGINS} may call them. Credentials are never allowed; secret-key routes get
 * no CORS headers, so browsers cannot call them cross-origin.
 */
public final class Cors implements Routes {
  private static final List<String> CLIENT_PREFIXES =
      List.of(
          "/v1/devices", "/v1/inbox", "/v1/events", "/v1/providers/webpush/public-key", "/sdk/");
  private static final String ALLOWED_HEADERS =
      "Authorization, Content-Type, X-API-Key, X-Herald-Key, Idempotency-Key, Last-Event-ID";

  private final Set<String> origins;

  public Cors(List<String> origins) {
    this.origins = Set.copyOf(origins);
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    routes.before(this::decorate);
    routes.options("/v1/*", this::preflight);
  }

  private void decorate(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin != null && allowed(origin, ctx.path())) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Vary", "Origin");
      ctx.header("Access-Control-Expose-Headers", "Retry-After, Location");
    }
  }

  private void preflight(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || !allowed(origin, ctx.path())) {
      throw new ApiException(ErrorCode.FORBIDDEN, "cross-origin requests are not allowed here");
    }
    ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
    ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    ctx.header("Access-Control-Max-Age", "600");
    ctx.status(204);
  }

  /**
   * Whether browsers from this origin may use the client-side routes (the live inbox checks it).
   */
  public boolean allowsOrigin(String origin) {
    return origins.contains(origin);
  }

  private boolean allowed(String origin, String path) {
    return origins.contains(origin) && CLIENT_PREFIXES.stream().anyMatch(path::startsWith);
  }
}
