package dev.herald.web;

import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * Object-level access checks, called by each route for the kind of caller it admits. Credentials
 * are read from {@code Authorization: Bearer}, {@code X-API-Key}, {@code X-Herald-Key} and, for
 * browsers that cannot set headers, {@code ?token=}.
 */
public final class Access {
  private static final String CALLER = "herald.caller";

  private final Authenticator authenticator;
  private final RateLimiter rateLimiter;

  public Access(Authenticator authenticator, RateLimiter rateLimiter) {
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
  }

  /** The instance admin key; nothing else. */
  public void admin(Context ctx) {
    if (!(caller(ctx) instanceof Caller.Admin)) {
      throw forbidden("this route needs the admin key");
    }
  }

  /** A secret key; answers the app it belongs to. */
  public String secret(Context ctx) {
    if (caller(ctx) instanceof Caller.AppKey k && k.secret()) return k.appId();
    throw forbidden("this route needs a secret key (sk_…)");
  }

  /** A secret or publishable key. */
  public Caller.AppKey appKey(Context ctx) {
    Caller c = caller(ctx);
    if (c instanceof Caller.AppKey k) return k;
    throw forbidden("this route needs a secret or publishable key");
  }

  /** Any app-scoped caller: a secret or publishable key, or a subscriber token. */
  public Caller client(Context ctx) {
    Caller c = caller(ctx);
    if (c instanceof Caller.Admin) throw forbidden("the admin key manages apps only");
    return c;
  }

  /**
   * One subscriber's scope: a subscriber token (with or without the publishable key), or a secret
   * key naming {@code ?subscriber_id=}.
   */
  public Caller.Subscriber subscriber(Context ctx) {
    Caller c = caller(ctx);
    if (c instanceof Caller.Subscriber s) {
      String named = ctx.queryParam("subscriber_id");
      if (named != null && !named.equals(s.subscriberId())) {
        throw forbidden("a subscriber token reaches only its own subscriber");
      }
      return s;
    }
    if (c instanceof Caller.AppKey k && k.secret()) {
      String id = ctx.queryParam("subscriber_id");
      if (id == null || id.isBlank()) {
        throw ApiException.invalid("subscriber_id", "is required with a secret key");
      }
      return new Caller.Subscriber(k.appId(), id);
    }
    throw forbidden("this route needs a subscriber token or a secret key");
  }

  private Caller caller(Context ctx) {
    Caller cached = ctx.attribute(CALLER);
    if (cached != null) return cached;
    Caller c =
        authenticate(ctx)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.UNAUTHORIZED,
                        "missing or invalid credentials",
                        java.util.List.of(),
                        Map.of("WWW-Authenticate", "Bearer")));
    String limitKey =
        switch (c) {
          case Caller.Admin a -> "admin";
          case Caller.AppKey k -> k.keyId();
          case Caller.Subscriber s -> s.appId() + "/" + s.subscriberId();
        };
    rateLimiter.acquire(limitKey);
    ctx.attribute(CALLER, c);
    return c;
  }

  private Optional<Caller> authenticate(Context ctx) {
    String bearer = bearer(ctx);
    String apiKey = ctx.header("X-API-Key");
    String heraldKey = ctx.header("X-Herald-Key");
    String token = ctx.queryParam("token");
    Optional<Caller.AppKey> publishable =
        Optional.ofNullable(heraldKey)
            .flatMap(authenticator::key)
            .filter(Caller.AppKey.class::isInstance)
            .map(Caller.AppKey.class::cast);
    if (heraldKey != null && publishable.isEmpty()) return Optional.empty();
    String presented = bearer != null ? bearer : apiKey;
    if (presented != null && isKey(presented)) {
      return authenticator.key(presented);
    }
    String subscriberToken = presented != null ? presented : token;
    if (subscriberToken != null) {
      return authenticator.subscriberToken(subscriberToken, publishable).map(Caller.class::cast);
    }
    return publishable.map(Caller.class::cast);
  }

  private static boolean isKey(String s) {
    return s.startsWith("sk_") || s.startsWith("pk_") || s.startsWith("ak_") || !s.contains(".");
  }

  private static String bearer(Context ctx) {
    String h = ctx.header("Authorization");
    if (h == null) return null;
    if (h.regionMatches(true, 0, "Bearer ", 0, 7)) return h.substring(7).trim();
    return null;
  }

  private static ApiException forbidden(String detail) {
    return new ApiException(ErrorCode.FORBIDDEN, detail);
  }
}
