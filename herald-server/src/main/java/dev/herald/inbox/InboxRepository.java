package dev.herald.inbox;

import dev.herald.store.Database;
import dev.herald.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** Inbox items, at most one per notification and subscriber. */
public final class InboxRepository {
  private final Database db;

  public InboxRepository(Database db) {
    this.db = db;
  }

  /**
   * Inserts items, skipping any the subscriber already has for that notification; answers the ones
   * actually inserted. Callers go through {@link Inbox#deliver}, which records their events.
   */
  List<InboxItem> insertNew(Tx tx, List<InboxItem> items) {
    if (items.isEmpty()) return List.of();
    PreparedBatch batch =
        tx.handle()
            .prepareBatch(
                "INSERT INTO inbox_items (id, app_id, subscriber_id, notification_id, title, body, data, url, image, category,"
                    + " created_at, expires_at) VALUES (:id, :app, :sub, :n, :title, :body, :data, :url, :image, :category,"
                    + " :created, :expires) ON CONFLICT (notification_id, subscriber_id) DO NOTHING");
    for (InboxItem i : items) {
      batch
          .bind("id", i.id())
          .bind("app", i.appId())
          .bind("sub", i.subscriberId())
          .bind("n", i.notificationId())
          .bind("title", i.title())
          .bind("body", i.body())
          .bind("data", i.data())
          .bind("url", i.url())
          .bind("image", i.image())
          .bind("category", i.category())
          .bind("created", i.createdAt())
          .bind("expires", i.expiresAt())
          .add();
    }
    int[] counts = batch.execute();
    List<InboxItem> inserted = new ArrayList<>(items.size());
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) inserted.add(items.get(i));
    }
    return inserted;
  }

  public Optional<InboxItem> find(Handle h, String appId, String subscriberId, String id) {
    return h.createQuery(
            "SELECT * FROM inbox_items WHERE id = :id AND app_id = :app AND subscriber_id = :sub")
        .bind("id", id)
        .bind("app", appId)
        .bind("sub", subscriberId)
        .map(InboxRepository::map)
        .findOne();
  }

  public Optional<InboxItem> findByNotification(
      Handle h, String appId, String subscriberId, String notificationId) {
    return h.createQuery(
            "SELECT * FROM inbox_items WHERE notification_id = :n AND subscriber_id = :sub AND app_id = :app")
        .bind("n", notificationId)
        .bind("app", appId)
        .bind("sub", subscriberId)
        .map(InboxRepository::map)
        .findOne();
  }

  /** Sets or clears read_at / archived_at of one item; answers whether it changed. */
  boolean set(Tx tx, InboxItem item, String column, Long value) {
    return tx.handle()
            .createUpdate("UPDATE inbox_items SET " + column + " = :v WHERE id = :id")
            .bind("v", value)
            .bind("id", item.id())
            .execute()
        > 0;
  }

  boolean delete(Tx tx, InboxItem item) {
    return tx.handle()
            .createUpdate("DELETE FROM inbox_items WHERE id = :id")
            .bind("id", item.id())
            .execute()
        > 0;
  }

  /** Marks every unread, unarchived item read; answers the notifications of those that changed. */
  List<String> readAll(Tx tx, String appId, String subscriberId, long now) {
    return tx.handle()
        .createQuery(
            "UPDATE inbox_items SET read_at = :now WHERE app_id = :app AND subscriber_id = :sub AND read_at IS NULL"
                + " AND archived_at IS NULL RETURNING notification_id")
        .bind("now", now)
        .bind("app", appId)
        .bind("sub", subscriberId)
        .mapTo(String.class)
        .list();
  }

  /** Unread (not archived) items per subscriber, for those that have any. */
  Map<String, Long> unread(Handle h, String appId, Collection<String> subscriberIds) {
    Map<String, Long> out = new HashMap<>();
    List<String> all = List.copyOf(subscriberIds);
    for (int i = 0; i < all.size(); i += 1000) {
      h.createQuery(
              "SELECT subscriber_id, COUNT(*) AS n FROM inbox_items WHERE app_id = :app AND subscriber_id IN (<subs>)"
                  + " AND read_at IS NULL AND archived_at IS NULL GROUP BY subscriber_id")
          .bind("app", appId)
          .bindList("subs", all.subList(i, Math.min(all.size(), i + 1000)))
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  /** Items newest first; {@code status} is unread, read, archived or all (all excludes nothing). */
  public List<InboxItem> list(
      String appId, String subscriberId, String status, Optional<String> before, int limit) {
    String filter =
        switch (status) {
          case "unread" -> " AND read_at IS NULL AND archived_at IS NULL";
          case "read" -> " AND read_at IS NOT NULL AND archived_at IS NULL";
          case "archived" -> " AND archived_at IS NOT NULL";
          default -> "";
        };
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM inbox_items WHERE app_id = :app AND subscriber_id = :sub"
                        + filter
                        + (before.isPresent() ? " AND id < :before" : "")
                        + " ORDER BY id DESC LIMIT :limit")
                .bind("app", appId)
                .bind("sub", subscriberId)
                .bind("before", before.orElse(""))
                .bind("limit", limit)
                .map(InboxRepository::map)
                .list());
  }

  /** Unread (not archived) and total (not archived) counts. */
  public Map<String, Long> counts(String appId, String subscriberId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) AS unread"
                        + " FROM inbox_items WHERE app_id = :app AND subscriber_id = :sub AND archived_at IS NULL")
                .bind("app", appId)
                .bind("sub", subscriberId)
                .map(
                    (rs, ctx) ->
                        Map.of("unread", rs.getLong("unread"), "total", rs.getLong("total")))
                .one());
  }

  /** Deletes items (and events) created before {@code before}, and items expired by {@code now}. */
  public int purge(Tx tx, long before, long now) {
    // Events live as long as items: a client reconnecting with an older seq is told to resync.
    tx.handle()
        .createUpdate("DELETE FROM inbox_events WHERE created_at < :before")
        .bind("before", before)
        .execute();
    return tx.handle()
        .createUpdate("DELETE FROM inbox_items WHERE created_at < :before OR expires_at < :now")
        .bind("before", before)
        .bind("now", now)
        .execute();
  }

  static InboxItem map(ResultSet rs, StatementContext ctx) throws SQLException {
    long read = rs.getLong("read_at");
    Long readAt = rs.wasNull() ? null : read;
    long archived = rs.getLong("archived_at");
    Long archivedAt = rs.wasNull() ? null : archived;
    long expires = rs.getLong("expires_at");
    Long expiresAt = rs.wasNull() ? null : expires;
    return new InboxItem(
        rs.getString("id"),
        rs.getString("app_id"),
        rs.getString("subscriber_id"),
        rs.getString("notification_id"),
        rs.getString("title"),
        rs.getString("body"),
        rs.getString("data"),
        rs.getString("url"),
        rs.getString("image"),
        rs.getString("category"),
        readAt,
        archivedAt,
        rs.getLong("created_at"),
        expiresAt);
  }
}
