package dev.herald.preference;

import dev.herald.preference.CategoryRepository.Category;
import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Page;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Times;
import dev.herald.web.Validation;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;

/** An app's notification categories (secret key): default channels, locking and throttles. */
public final class CategoryRoutes implements Routes {
  private final Access access;
  private final Preferences preferences;

  public CategoryRoutes(Access access, Preferences preferences) {
    this.access = access;
    this.preferences = preferences;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.put("/v1/categories/{key}", this::put);
    r.get("/v1/categories", this::list);
    r.get("/v1/categories/{key}", this::get);
    r.delete("/v1/categories/{key}", this::delete);
  }

  private void put(Context ctx) {
    String appId = access.secret(ctx);
    String key = key(ctx);
    CategorySettings body = Requests.body(ctx, CategorySettings.class);
    Validation v = new Validation();
    body.check(v);
    v.throwIfInvalid();
    boolean created = preferences.saveCategory(appId, key, body);
    ctx.status(created ? 201 : 200).json(view(preferences.category(appId, key).orElseThrow()));
  }

  private void list(Context ctx) {
    String appId = access.secret(ctx);
    int limit = Requests.limit(ctx);
    ctx.json(
        Page.of(
                preferences.categories(appId, Requests.cursor(ctx), limit + 1),
                limit,
                Category::key)
            .map(CategoryRoutes::view));
  }

  private void get(Context ctx) {
    String appId = access.secret(ctx);
    ctx.json(
        view(
            preferences
                .category(appId, key(ctx))
                .orElseThrow(() -> ApiException.notFound("category"))));
  }

  private void delete(Context ctx) {
    String appId = access.secret(ctx);
    if (!preferences.deleteCategory(appId, key(ctx))) throw ApiException.notFound("category");
    ctx.status(204);
  }

  private static String key(Context ctx) {
    String key = ctx.pathParam("key");
    new Validation()
        .check(
            Validation.KEY.matcher(key).matches(),
            "key",
            "must be 1-128 letters, digits and . _ : -")
        .throwIfInvalid();
    return key;
  }

  static Map<String, Object> view(Category c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", c.key());
    m.put("name", c.settings().name());
    m.put("default_channels", c.settings().defaultChannels());
    m.put("locked", c.settings().locked());
    m.put("throttle", c.settings().throttle());
    m.put("digest", c.settings().digest());
    m.put("created_at", Times.iso(c.createdAt()));
    m.put("updated_at", Times.iso(c.updatedAt()));
    return m;
  }
}
