package dev.herald.delivery;

import dev.herald.outbox.Outbox;
import dev.herald.store.Database;
import dev.herald.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Delivery rows: written in chunks by fan-out, updated in batches by senders. A delivery that ends
 * failed or dead records {@code delivery.failed} in the outbox in the same transaction.
 */
public final class DeliveryRepository {
  private final Database db;
  private final Outbox outbox;

  /** A repository that records no events (storage tests). */
  public DeliveryRepository(Database db) {
    this(db, null);
  }

  public DeliveryRepository(Database db, Outbox outbox) {
    this.db = db;
    this.outbox = outbox;
  }

  /**
   * Inserts deliveries, skipping any that already exist for the same notification, channel and
   * recipient (a repeated fan-out page); answers the ones actually inserted.
   */
  public List<Delivery> insertNew(Tx tx, List<Delivery> rows) {
    if (rows.isEmpty()) return List.of();
    PreparedBatch batch =
        tx.handle()
            .prepareBatch(
                "INSERT INTO deliveries (id, app_id, notification_id, recipient_key, subscriber_id, channel, provider,"
                    + " device_id, address, status, reason, attempts, created_at, updated_at) VALUES (:id, :app, :notification,"
                    + " :key, :subscriber, :channel, :provider, :device, :address, :status, :reason, 0, :now, :now)"
                    + " ON CONFLICT (notification_id, channel, recipient_key) DO NOTHING");
    for (Delivery d : rows) {
      batch
          .bind("id", d.id())
          .bind("app", d.appId())
          .bind("notification", d.notificationId())
          .bind("key", d.recipientKey())
          .bind("subscriber", d.subscriberId())
          .bind("channel", d.channel())
          .bind("provider", d.provider())
          .bind("device", d.deviceId())
          .bind("address", d.address())
          .bind("status", d.status())
          .bind("reason", d.reason())
          .bind("now", d.createdAt())
          .add();
    }
    int[] counts = batch.execute();
    List<Delivery> inserted = new ArrayList<>(rows.size());
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) inserted.add(rows.get(i));
    }
    return inserted;
  }

  public List<Delivery> find(Handle h, Collection<String> ids) {
    if (ids.isEmpty()) return List.of();
    return h.createQuery("SELECT * FROM deliveries WHERE id IN (<ids>)")
        .bindList("ids", List.copyOf(ids))
        .map(DeliveryRepository::map)
        .list();
  }

  public List<Delivery> find(Collection<String> ids) {
    return db.read(h -> find(h, ids));
  }

  public List<Delivery> ofNotification(
      String notificationId, Optional<String> status, Optional<String> after, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM deliveries WHERE notification_id = :n");
    status.ifPresent(s -> sql.append(" AND status = :status"));
    sql.append(" AND id > :after ORDER BY id LIMIT :limit");
    return db.read(
        h -> {
          var q =
              h.createQuery(sql.toString())
                  .bind("n", notificationId)
                  .bind("after", after.orElse(""))
                  .bind("limit", limit);
          status.ifPresent(s -> q.bind("status", s));
          return q.map(DeliveryRepository::map).list();
        });
  }

  /**
   * Moves deliveries that are still in {@code from} to {@code to}; answers the ids that moved, so
   * counters change only for real transitions.
   */
  public List<String> move(
      Tx tx,
      Collection<String> ids,
      String from,
      String to,
      String reason,
      boolean countAttempt,
      long now) {
    if (ids.isEmpty()) return List.of();
    boolean failing = outbox != null && (to.equals("failed") || to.equals("dead"));
    var update =
        tx.handle()
            .createQuery(
                "UPDATE deliveries SET status = :to, reason = :reason, updated_at = :now"
                    + (countAttempt ? ", attempts = attempts + 1" : "")
                    + " WHERE id IN (<ids>) AND status = :from RETURNING "
                    + (failing ? "*" : "id"))
            .bind("to", to)
            .bind("reason", reason)
            .bind("now", now)
            .bind("from", from)
            .bindList("ids", List.copyOf(ids));
    if (!failing) return update.mapTo(String.class).list();
    List<Delivery> moved = update.map(DeliveryRepository::map).list();
    for (Delivery d : moved) outbox.record(tx, d.appId(), Outbox.DELIVERY_FAILED, failedEvent(d));
    return moved.stream().map(Delivery::id).toList();
  }

  private static Map<String, Object> failedEvent(Delivery d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("delivery_id", d.id());
    m.put("notification_id", d.notificationId());
    m.put("subscriber_id", d.subscriberId());
    m.put("channel", d.channel());
    m.put("provider", d.provider());
    m.put("device_id", d.deviceId());
    m.put("status", d.status());
    m.put("reason", d.reason());
    m.put("attempts", d.attempts());
    return m;
  }

  /** Answers false when the delivery is no longer pending (canceled while it was being sent). */
  public boolean markSent(Tx tx, String id, String providerMessageId, long now) {
    return tx.handle()
            .createUpdate(
                "UPDATE deliveries SET status = 'sent', reason = NULL, provider_message_id = :pmid, attempts = attempts + 1,"
                    + " updated_at = :now WHERE id = :id AND status = 'pending'")
            .bind("pmid", providerMessageId)
            .bind("now", now)
            .bind("id", id)
            .execute()
        > 0;
  }

  public void countAttempt(Tx tx, Collection<String> ids, String reason, long now) {
    if (ids.isEmpty()) return;
    tx.handle()
        .createUpdate(
            "UPDATE deliveries SET attempts = attempts + 1, reason = :reason, updated_at = :now WHERE id IN (<ids>)")
        .bind("reason", reason)
        .bind("now", now)
        .bindList("ids", List.copyOf(ids))
        .execute();
  }

  /** Cancels every pending delivery of a notification; answers how many. */
  public int cancelPending(Tx tx, String notificationId, long now) {
    return tx.handle()
        .createUpdate(
            "UPDATE deliveries SET status = 'canceled', reason = 'notification canceled', updated_at = :now"
                + " WHERE notification_id = :n AND status = 'pending'")
        .bind("now", now)
        .bind("n", notificationId)
        .execute();
  }

  public int purge(Tx tx, long before) {
    return tx.handle()
        .createUpdate("DELETE FROM deliveries WHERE created_at < :before")
        .bind("before", before)
        .execute();
  }

  public static Delivery map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Delivery(
        rs.getString("id"),
        rs.getString("app_id"),
        rs.getString("notification_id"),
        rs.getString("recipient_key"),
        rs.getString("subscriber_id"),
        rs.getString("channel"),
        rs.getString("provider"),
        rs.getString("device_id"),
        rs.getString("address"),
        rs.getString("status"),
        rs.getString("reason"),
        rs.getInt("attempts"),
        rs.getString("provider_message_id"),
        rs.getLong("created_at"),
        rs.getLong("updated_at"));
  }
}
