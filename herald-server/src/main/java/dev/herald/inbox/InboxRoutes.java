package dev.herald.inbox;

import dev.herald.web.Access;
import dev.herald.web.Caller;
import dev.herald.web.Json;
import dev.herald.web.Page;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Times;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reading a subscriber's inbox: with a subscriber token, or a secret key and {@code
 * ?subscriber_id=}.
 */
public final class InboxRoutes implements Routes {
  private static final Set<String> STATUSES = Set.of("unread", "read", "archived", "all");

  private final Access access;
  private final InboxRepository repo;

  public InboxRoutes(Access access, InboxRepository repo) {
    this.access = access;
    this.repo = repo;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/v1/inbox", this::list);
    r.get("/v1/inbox/count", this::count);
  }

  private void list(Context ctx) {
    Caller.Subscriber who = access.subscriber(ctx);
    String status = Requests.choice(ctx, "status", STATUSES).orElse("all");
    int limit = Requests.limit(ctx);
    var rows = repo.list(who.appId(), who.subscriberId(), status, Requests.cursor(ctx), limit + 1);
    ctx.json(Page.of(rows, limit, InboxItem::id).map(InboxRoutes::view));
  }

  private void count(Context ctx) {
    Caller.Subscriber who = access.subscriber(ctx);
    ctx.json(repo.counts(who.appId(), who.subscriberId()));
  }

  static Map<String, Object> view(InboxItem i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("notification_id", i.notificationId());
    m.put("title", i.title());
    m.put("body", i.body());
    m.put("data", i.data() == null ? Map.of() : Json.map(i.data()));
    m.put("url", i.url());
    m.put("image", i.image());
    m.put("category", i.category());
    m.put("read_at", Times.iso(i.readAt()));
    m.put("archived_at", Times.iso(i.archivedAt()));
    m.put("created_at", Times.iso(i.createdAt()));
    return m;
  }
}
