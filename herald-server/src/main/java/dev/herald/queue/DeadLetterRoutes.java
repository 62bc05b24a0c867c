package dev.herald.queue;

import dev.herald.store.Database;
import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Json;
import dev.herald.web.Page;
import dev.herald.web.Requests;
import dev.herald.web.Routes;
import dev.herald.web.Times;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /v1/dead-letters} and {@code POST /v1/dead-letters/{id}/retry}. */
public final class DeadLetterRoutes implements Routes {
  private final Access access;
  private final Database db;
  private final WorkQueue queue;
  private final Map<String, JobHandler> handlers;
  private final Clock clock;

  public DeadLetterRoutes(
      Access access, Database db, WorkQueue queue, Map<String, JobHandler> handlers, Clock clock) {
    this.access = access;
    this.db = db;
    this.queue = queue;
    this.handlers = handlers;
    this.clock = clock;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/v1/dead-letters", this::list);
    r.post("/v1/dead-letters/{id}/retry", this::retry);
  }

  private void list(Context ctx) {
    String appId = access.secret(ctx);
    int limit = Requests.limit(ctx);
    ctx.json(
        Page.of(queue.deadLetters(appId, Requests.cursor(ctx), limit + 1), limit, DeadLetter::id)
            .map(DeadLetterRoutes::view));
  }

  private void retry(Context ctx) {
    String appId = access.secret(ctx);
    String id = ctx.pathParam("id");
    Job job =
        db.write(
            tx -> {
              DeadLetter letter =
                  queue
                      .deadLetter(tx, appId, id)
                      .orElseThrow(() -> ApiException.notFound("dead letter"));
              Job redriven = queue.redrive(tx, letter, clock.millis());
              JobHandler handler = handlers.get(letter.kind());
              if (handler != null) handler.onRedrive(tx, redriven);
              return redriven;
            });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("status", "requeued");
    body.put("job_id", String.valueOf(job.id()));
    body.put("lane", job.lane().key());
    ctx.status(202).json(body);
  }

  static Map<String, Object> view(DeadLetter d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("lane", d.lane().key());
    m.put("kind", d.kind());
    m.put("notification_id", d.notificationId());
    m.put("attempts", d.attempts());
    m.put("last_error", d.lastError());
    m.put("payload", Json.tree(d.payload()));
    m.put("created_at", Times.iso(d.createdAt()));
    m.put("expires_at", Times.iso(d.expiresAt()));
    return m;
  }
}
