package dev.herald.observability;

import dev.herald.queue.Lane;
import dev.herald.queue.QueueCounts;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.web.Access;
import dev.herald.web.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code GET /v1/stats}: the app's devices, queue per lane, and deliveries by outcome. */
public final class StatsRoutes implements Routes {
  private final Access access;
  private final Database db;
  private final WorkQueue queue;
  private final Clock clock;

  public StatsRoutes(Access access, Database db, WorkQueue queue, Clock clock) {
    this.access = access;
    this.db = db;
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/v1/stats", this::stats);
  }

  private void stats(Context ctx) {
    String appId = access.secret(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("devices", devices(appId));
    Map<String, Object> lanes = new LinkedHashMap<>();
    for (Map.Entry<Lane, QueueCounts> e :
        queue.counts(Optional.of(appId), clock.millis()).entrySet()) {
      QueueCounts c = e.getValue();
      lanes.put(
          e.getKey().key(),
          Map.of(
              "waiting",
              c.waiting(),
              "active",
              c.active(),
              "delayed",
              c.delayed(),
              "failed",
              c.failed(),
              "completed",
              c.completed()));
    }
    body.put("queue", lanes);
    body.put(
        "deliveries",
        grouped(
            appId,
            "SELECT status AS k, COUNT(*) AS n FROM deliveries WHERE app_id = :app GROUP BY status"));
    body.put(
        "notifications",
        grouped(
            appId,
            "SELECT status AS k, COUNT(*) AS n FROM notifications WHERE app_id = :app GROUP BY status"));
    ctx.json(body);
  }

  private Map<String, Object> devices(String appId) {
    return db.read(
        h -> {
          Map<String, Object> m = new LinkedHashMap<>();
          Map<String, Long> byProvider = new TreeMap<>();
          Map<String, Long> byPlatform = new TreeMap<>();
          long[] totals = new long[2];
          h.createQuery(
                  "SELECT provider, COALESCE(platform, 'unknown') AS platform, active, COUNT(*) AS n FROM devices"
                      + " WHERE app_id = :app GROUP BY provider, platform, active")
              .bind("app", appId)
              .map(
                  (rs, c) -> {
                    long n = rs.getLong("n");
                    if (rs.getInt("active") == 1) {
                      totals[0] += n;
                      byProvider.merge(rs.getString("provider"), n, Long::sum);
                      byPlatform.merge(rs.getString("platform"), n, Long::sum);
                    } else {
                      totals[1] += n;
                    }
                    return null;
                  })
              .list();
          m.put("active", totals[0]);
          m.put("inactive", totals[1]);
          m.put("by_provider", byProvider);
          m.put("by_platform", byPlatform);
          return m;
        });
  }

  private Map<String, Long> grouped(String appId, String sql) {
    return db.read(
        h -> {
          Map<String, Long> m = new TreeMap<>();
          h.createQuery(sql)
              .bind("app", appId)
              .map((rs, c) -> m.put(rs.getString("k"), rs.getLong("n")))
              .list();
          return m;
        });
  }
}
