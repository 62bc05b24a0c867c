package dev.herald.topic;

import dev.herald.store.Database;
import dev.herald.web.Access;
import dev.herald.web.Page;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Validation;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** {@code PUT|DELETE|GET /v1/topics/{key}/subscribers}. */
public final class TopicRoutes implements Routes {
  static final int MAX_MEMBERS_PER_CALL = 10_000;

  private final Access access;
  private final Database db;
  private final TopicRepository topics;
  private final Clock clock;

  public TopicRoutes(Access access, Database db, TopicRepository topics, Clock clock) {
    this.access = access;
    this.db = db;
    this.topics = topics;
    this.clock = clock;
  }

  record Members(List<String> subscribers) {}

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.put("/v1/topics/{key}/subscribers", this::join);
    r.delete("/v1/topics/{key}/subscribers", this::leave);
    r.get("/v1/topics/{key}/subscribers", this::list);
  }

  private void join(Context ctx) {
    String appId = access.secret(ctx);
    String topic = topic(ctx);
    List<String> ids = members(ctx);
    int added = db.write(tx -> topics.join(tx, appId, topic, ids, clock.millis()));
    ctx.json(Map.of("topic", topic, "added", added));
  }

  private void leave(Context ctx) {
    String appId = access.secret(ctx);
    String topic = topic(ctx);
    List<String> ids = members(ctx);
    int removed = db.write(tx -> topics.leave(tx, appId, topic, ids));
    ctx.json(Map.of("topic", topic, "removed", removed));
  }

  private void list(Context ctx) {
    String appId = access.secret(ctx);
    String topic = topic(ctx);
    int limit = Requests.limit(ctx);
    Page<String> page =
        Page.of(topics.members(appId, topic, Requests.cursor(ctx), limit + 1), limit, id -> id);
    ctx.json(page.map(id -> Map.of("subscriber_id", id)));
  }

  private static String topic(Context ctx) {
    String key = ctx.pathParam("key");
    new Validation()
        .check(
            Validation.KEY.matcher(key).matches(),
            "key",
            "must be 1-128 letters, digits or . _ : -")
        .throwIfInvalid();
    return key;
  }

  private static List<String> members(Context ctx) {
    Members body = Requests.body(ctx, Members.class);
    Validation v = new Validation();
    v.check(
        body.subscribers() != null && !body.subscribers().isEmpty(),
        "subscribers",
        "must list at least one subscriber id");
    if (body.subscribers() != null) {
      v.check(
          body.subscribers().size() <= MAX_MEMBERS_PER_CALL,
          "subscribers",
          "at most " + MAX_MEMBERS_PER_CALL + " per call");
      for (int i = 0; i < body.subscribers().size(); i++)
        v.id(body.subscribers().get(i), "subscribers[" + i + "]");
    }
    v.throwIfInvalid();
    return List.copyOf(new LinkedHashSet<>(body.subscribers()));
  }
}
