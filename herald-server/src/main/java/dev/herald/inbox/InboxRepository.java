package dev.herald.inbox;

import dev.herald.store.Database;
import dev.herald.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** Inbox items, at most one per notification and subscriber. */
public final class InboxRepository {
  private final Database db;

  public InboxRepository(Database db) {
    this.db = db;
  }

  /** Inserts items, skipping any the subscriber already has for that notification. */
  public int insertNew(Tx tx, List<InboxItem> items) {
    if (items.isEmpty()) return 0;
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
    int n = 0;
    for (int c : batch.execute()) n += Math.max(c, 0);
    return n;
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

  /** Deletes items created before {@code before} or expired by {@code now}. */
  public int purge(Tx tx, long before, long now) {
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
