package dev.herald.inbox;

import dev.herald.store.Database;
import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Caller;
import dev.herald.web.Page;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A subscriber's inbox: with a subscriber token, or a secret key and {@code ?subscriber_id=}. Every
 * state change answers the item, the unread count and the seq of the event it recorded.
 */
public final class InboxRoutes implements Routes {
  private static final Set<String> STATUSES = Set.of("unread", "read", "archived", "all");

  private final Access access;
  private final Database db;
  private final Inbox inbox;

  public InboxRoutes(Access access, Database db, Inbox inbox) {
    this.access = access;
    this.db = db;
    this.inbox = inbox;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/v1/inbox", this::list);
    r.get("/v1/inbox/count", this::count);
    r.post("/v1/inbox/read-all", this::readAll);
    r.post("/v1/inbox/{id}/read", ctx -> change(ctx, Inbox.Change.READ));
    r.post("/v1/inbox/{id}/unread", ctx -> change(ctx, Inbox.Change.UNREAD));
    r.post("/v1/inbox/{id}/archive", ctx -> change(ctx, Inbox.Change.ARCHIVE));
    r.post("/v1/inbox/{id}/unarchive", ctx -> change(ctx, Inbox.Change.UNARCHIVE));
    r.delete("/v1/inbox/{id}", ctx -> change(ctx, Inbox.Change.DELETE));
  }

  private void list(Context ctx) {
    Caller.Subscriber who = access.subscriber(ctx);
    String status = Requests.choice(ctx, "status", STATUSES).orElse("all");
    int limit = Requests.limit(ctx);
    var rows =
        inbox
            .items()
            .list(who.appId(), who.subscriberId(), status, Requests.cursor(ctx), limit + 1);
    ctx.json(Page.of(rows, limit, InboxItem::id).map(InboxItem::view));
  }

  private void count(Context ctx) {
    Caller.Subscriber who = access.subscriber(ctx);
    ctx.json(inbox.counts(who.appId(), who.subscriberId()));
  }

  private void change(Context ctx, Inbox.Change change) {
    Caller.Subscriber who = access.subscriber(ctx);
    String id = ctx.pathParam("id");
    Inbox.Result r =
        db.write(tx -> inbox.change(tx, who.appId(), who.subscriberId(), id, change))
            .orElseThrow(() -> ApiException.notFound("inbox item"));
    ctx.json(view(r));
  }

  private void readAll(Context ctx) {
    Caller.Subscriber who = access.subscriber(ctx);
    ctx.json(view(db.write(tx -> inbox.readAll(tx, who.appId(), who.subscriberId()))));
  }

  static Map<String, Object> view(Inbox.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (r.item() != null) m.put("item", r.item().view());
    m.put("unread", r.unread());
    m.put("seq", r.seq());
    return m;
  }
}
