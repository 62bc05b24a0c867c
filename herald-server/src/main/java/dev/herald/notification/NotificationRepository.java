package dev.herald.notification;

import dev.herald.notification.Notification.Counts;
import dev.herald.outbox.Outbox;
import dev.herald.store.Database;
import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Notifications, their counters and fan-out progress. A notification that settles (sent, partial,
 * failed) records {@code notification.<status>} in the outbox in the same transaction.
 */
public final class NotificationRepository {
  private static final String OUTCOME =
      "CASE WHEN failed = 0 THEN 'sent' WHEN sent + delivered = 0 THEN 'failed' ELSE 'partial' END";

  private final Database db;
  private final Outbox outbox;

  /** A repository that records no events (storage tests). */
  public NotificationRepository(Database db) {
    this(db, null);
  }

  public NotificationRepository(Database db, Outbox outbox) {
    this.db = db;
    this.outbox = outbox;
  }

  /** Counter changes from one transaction, applied with a single UPDATE. */
  public record Delta(
      long total,
      long pending,
      long sent,
      long delivered,
      long failed,
      long skipped,
      long canceled) {
    public static final Delta NONE = new Delta(0, 0, 0, 0, 0, 0, 0);

    public Delta plus(Delta o) {
      return new Delta(
          total + o.total,
          pending + o.pending,
          sent + o.sent,
          delivered + o.delivered,
          failed + o.failed,
          skipped + o.skipped,
          canceled + o.canceled);
    }

    public boolean isZero() {
      return equals(NONE);
    }
  }

  /** Inserts a notification with every column, counters and fan-out progress included. */
  public void insert(Tx tx, Notification n) {
    Notification.Counts c = n.counts();
    tx.handle()
        .createUpdate(
            "INSERT INTO notifications (id, app_id, status, priority, category, request, idempotency_key, request_hash,"
                + " send_at, fanout_cursor, fanout_done, recipients, total, pending, sent, delivered, failed, skipped,"
                + " canceled, created_at, updated_at, finished_at) VALUES (:id, :app, :status, :lane, :category, :request,"
                + " :key, :hash, :sendAt, :cursor, :done, :recipients, :total, :pending, :sent, :delivered, :failed,"
                + " :skipped, :canceled, :created, :updated, :finished)")
        .bind("id", n.id())
        .bind("app", n.appId())
        .bind("status", n.status())
        .bind("lane", n.lane())
        .bind("category", n.category())
        .bind("request", Json.write(n.send()))
        .bind("key", n.idempotencyKey())
        .bind("hash", n.requestHash())
        .bind("sendAt", n.sendAt())
        .bind("cursor", n.fanoutCursor())
        .bind("done", n.fanoutDone() ? 1 : 0)
        .bind("recipients", n.recipients())
        .bind("total", c.total())
        .bind("pending", c.pending())
        .bind("sent", c.sent())
        .bind("delivered", c.delivered())
        .bind("failed", c.failed())
        .bind("skipped", c.skipped())
        .bind("canceled", c.canceled())
        .bind("created", n.createdAt())
        .bind("updated", n.updatedAt())
        .bind("finished", n.finishedAt())
        .execute();
  }

  public Optional<Notification> find(String appId, String id) {
    return db.read(h -> find(h, appId, id));
  }

  public Optional<Notification> find(Handle h, String appId, String id) {
    return h.createQuery("SELECT * FROM notifications WHERE app_id = :app AND id = :id")
        .bind("app", appId)
        .bind("id", id)
        .map(NotificationRepository::map)
        .findOne();
  }

  /** The app's notifications among {@code ids}, in one query. */
  public List<Notification> findAll(Handle h, String appId, java.util.Collection<String> ids) {
    if (ids.isEmpty()) return List.of();
    return h.createQuery("SELECT * FROM notifications WHERE app_id = :app AND id IN (<ids>)")
        .bind("app", appId)
        .bindList("ids", List.copyOf(ids))
        .map(NotificationRepository::map)
        .list();
  }

  public Optional<Notification> byIdempotencyKey(Handle h, String appId, String key) {
    return h.createQuery(
            "SELECT * FROM notifications WHERE app_id = :app AND idempotency_key = :key")
        .bind("app", appId)
        .bind("key", key)
        .map(NotificationRepository::map)
        .findOne();
  }

  public List<Notification> list(
      String appId,
      Optional<String> status,
      Optional<String> category,
      Optional<String> before,
      int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM notifications WHERE app_id = :app");
    status.ifPresent(s -> sql.append(" AND status = :status"));
    category.ifPresent(c -> sql.append(" AND category = :category"));
    before.ifPresent(b -> sql.append(" AND id < :before"));
    sql.append(" ORDER BY id DESC LIMIT :limit");
    return db.read(
        h -> {
          var q = h.createQuery(sql.toString()).bind("app", appId).bind("limit", limit);
          status.ifPresent(s -> q.bind("status", s));
          category.ifPresent(c -> q.bind("category", c));
          before.ifPresent(b -> q.bind("before", b));
          return q.map(NotificationRepository::map).list();
        });
  }

  public String status(Handle h, String id) {
    return h.createQuery("SELECT status FROM notifications WHERE id = :id")
        .bind("id", id)
        .mapTo(String.class)
        .one();
  }

  /** Moves the status only from one of {@code from}; answers whether it moved. */
  public boolean moveStatus(Tx tx, String id, List<String> from, String to, long now) {
    return tx.handle()
            .createUpdate(
                "UPDATE notifications SET status = :to, updated_at = :now WHERE id = :id AND status IN (<from>)")
            .bind("to", to)
            .bind("now", now)
            .bind("id", id)
            .bindList("from", from)
            .execute()
        > 0;
  }

  public void apply(Tx tx, String id, Delta d, long now) {
    if (d.isZero()) return;
    tx.handle()
        .createUpdate(
            "UPDATE notifications SET total = total + :total, pending = pending + :pending, sent = sent + :sent,"
                + " delivered = delivered + :delivered, failed = failed + :failed, skipped = skipped + :skipped,"
                + " canceled = canceled + :canceled, updated_at = :now WHERE id = :id")
        .bind("total", d.total())
        .bind("pending", d.pending())
        .bind("sent", d.sent())
        .bind("delivered", d.delivered())
        .bind("failed", d.failed())
        .bind("skipped", d.skipped())
        .bind("canceled", d.canceled())
        .bind("now", now)
        .bind("id", id)
        .execute();
  }

  public void checkpoint(Tx tx, String id, String cursor, long recipients, boolean done, long now) {
    tx.handle()
        .createUpdate(
            "UPDATE notifications SET fanout_cursor = :cursor, recipients = recipients + :recipients,"
                + " fanout_done = :done, updated_at = :now WHERE id = :id")
        .bind("cursor", cursor)
        .bind("recipients", recipients)
        .bind("done", done ? 1 : 0)
        .bind("now", now)
        .bind("id", id)
        .execute();
  }

  /**
   * Settles the final status once fan-out is done, nothing is pending and no escalation step waits;
   * answers the status it settled on, if it did.
   */
  public Optional<String> settleIfDone(Tx tx, String id, long now) {
    var row =
        tx.handle()
            .createQuery(
                "SELECT app_id, status, fanout_done, pending, sent, delivered, failed, (SELECT COUNT(*) FROM escalation_steps e"
                    + " WHERE e.notification_id = notifications.id AND e.state = 'scheduled') AS steps_waiting"
                    + " FROM notifications WHERE id = :id")
            .bind("id", id)
            .mapToMap()
            .findOne();
    if (row.isEmpty()) return Optional.empty();
    var r = row.get();
    String status = (String) r.get("status");
    if (!status.equals(NotificationStatus.PROCESSING) && !status.equals(NotificationStatus.QUEUED))
      return Optional.empty();
    if (num(r.get("fanout_done")) != 1
        || num(r.get("pending")) != 0
        || num(r.get("steps_waiting")) != 0) return Optional.empty();
    String outcome =
        NotificationStatus.outcome(
            num(r.get("sent")), num(r.get("delivered")), num(r.get("failed")));
    tx.handle()
        .createUpdate(
            "UPDATE notifications SET status = :s, finished_at = :now, updated_at = :now WHERE id = :id")
        .bind("s", outcome)
        .bind("now", now)
        .bind("id", id)
        .execute();
    recordSettled(tx, (String) r.get("app_id"), id);
    return Optional.of(outcome);
  }

  /**
   * Recomputes a finished notification's status after late outcomes (receipts) changed its counts;
   * a status that changes is recorded as settled again.
   */
  public void resettle(Tx tx, String id, long now) {
    tx.handle()
        .createQuery(
            "UPDATE notifications SET status = "
                + OUTCOME
                + ", updated_at = :now WHERE id = :id"
                + " AND status IN ('sent', 'partial', 'failed') AND status <> "
                + OUTCOME
                + " RETURNING app_id")
        .bind("now", now)
        .bind("id", id)
        .mapTo(String.class)
        .findOne()
        .ifPresent(appId -> recordSettled(tx, appId, id));
  }

  /** Records {@code notification.<status>} for a notification that has just settled. */
  public void recordSettled(Tx tx, Notification n) {
    if (outbox == null) return;
    Map<String, Object> view = NotificationViews.view(n);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("notification_id", n.id());
    for (String field :
        List.of(
            "status", "priority", "category", "counts", "send_at", "created_at", "finished_at")) {
      data.put(field, view.get(field));
    }
    outbox.record(tx, n.appId(), Outbox.notificationSettled(n.status()), data);
  }

  public void recordSettled(Tx tx, String appId, String id) {
    if (outbox != null) find(tx.handle(), appId, id).ifPresent(n -> recordSettled(tx, n));
  }

  /** A finished notification goes back to processing (a dead letter of it was re-driven). */
  public void reopen(Tx tx, String id, long now) {
    tx.handle()
        .createUpdate(
            "UPDATE notifications SET status = 'processing', finished_at = NULL, updated_at = :now"
                + " WHERE id = :id AND status IN ('sent', 'partial', 'failed')")
        .bind("now", now)
        .bind("id", id)
        .execute();
  }

  public int purge(Tx tx, long before) {
    tx.handle()
        .createUpdate("DELETE FROM engagements WHERE created_at < :before")
        .bind("before", before)
        .execute();
    tx.handle()
        .createUpdate(
            "DELETE FROM escalation_steps WHERE due_at < :before AND state <> 'scheduled'")
        .bind("before", before)
        .execute();
    return tx.handle()
        .createUpdate(
            "DELETE FROM notifications WHERE created_at < :before AND status IN ('sent', 'partial', 'failed', 'canceled')")
        .bind("before", before)
        .execute();
  }

  private static long num(Object o) {
    return ((Number) o).longValue();
  }

  static Notification map(ResultSet rs, StatementContext ctx) throws SQLException {
    long sendAt = rs.getLong("send_at");
    Long sendAtOrNull = rs.wasNull() ? null : sendAt;
    long finished = rs.getLong("finished_at");
    Long finishedAt = rs.wasNull() ? null : finished;
    return new Notification(
        rs.getString("id"),
        rs.getString("app_id"),
        rs.getString("status"),
        rs.getString("priority"),
        rs.getString("category"),
        Json.MAPPER.readValue(rs.getString("request"), Send.class),
        rs.getString("idempotency_key"),
        rs.getString("request_hash"),
        sendAtOrNull,
        rs.getString("fanout_cursor"),
        rs.getInt("fanout_done") == 1,
        rs.getLong("recipients"),
        new Counts(
            rs.getLong("total"),
            rs.getLong("pending"),
            rs.getLong("sent"),
            rs.getLong("delivered"),
            rs.getLong("failed"),
            rs.getLong("skipped"),
            rs.getLong("canceled")),
        rs.getLong("created_at"),
        rs.getLong("updated_at"),
        finishedAt);
  }
}
