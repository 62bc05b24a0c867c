package dev.herald.preference;

import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Caller;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Validation;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * A subscriber's preferences: their own with a subscriber token ({@code /v1/inbox/preferences}, or
 * a secret key and {@code ?subscriber_id=}), anyone's with a secret key under {@code
 * /v1/subscribers/{id}}. PUT replaces them all; both methods answer the stored choices with the
 * effective state of every channel.
 */
public final class PreferenceRoutes implements Routes {
  private final Access access;
  private final Preferences preferences;

  public PreferenceRoutes(Access access, Preferences preferences) {
    this.access = access;
    this.preferences = preferences;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/v1/inbox/preferences", ctx -> get(ctx, own(ctx)));
    r.put("/v1/inbox/preferences", ctx -> put(ctx, own(ctx)));
    r.get("/v1/subscribers/{id}/preferences", ctx -> get(ctx, named(ctx)));
    r.put("/v1/subscribers/{id}/preferences", ctx -> put(ctx, named(ctx)));
  }

  private void get(Context ctx, Caller.Subscriber who) {
    ctx.json(
        preferences
            .view(who.appId(), who.subscriberId())
            .orElseThrow(() -> ApiException.notFound("subscriber")));
  }

  private void put(Context ctx, Caller.Subscriber who) {
    SubscriberPreferences body = Requests.body(ctx, SubscriberPreferences.class);
    Validation v = new Validation();
    body.check(v);
    v.throwIfInvalid();
    ctx.json(
        preferences
            .replace(who.appId(), who.subscriberId(), body)
            .orElseThrow(() -> ApiException.notFound("subscriber")));
  }

  private Caller.Subscriber own(Context ctx) {
    Caller.Subscriber who = access.subscriber(ctx);
    new Validation().id(who.subscriberId(), "subscriber_id").throwIfInvalid();
    return who;
  }

  private Caller.Subscriber named(Context ctx) {
    String appId = access.secret(ctx);
    String id = ctx.pathParam("id");
    new Validation().id(id, "id").throwIfInvalid();
    return new Caller.Subscriber(appId, id);
  }
}
