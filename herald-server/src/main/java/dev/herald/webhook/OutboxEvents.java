package dev.herald.webhook;

import dev.herald.store.Database;
import dev.herald.store.Tx;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Reading and publishing the events {@link dev.herald.outbox.Outbox} records. Thread-safe. */
final class OutboxEvents {
  /** An event not yet published; its payload is read when a call needs it. */
  record Pending(String id, String appId, String type) {}

  private final Database db;
  private final String pendingSql;

  OutboxEvents(Database db) {
    this.db = db;
    // On PostgreSQL, relays on other nodes skip the rows this one holds instead of waiting for
    // them.
    this.pendingSql =
        "SELECT id, app_id, type FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT :max"
            + db.dialect().skipLocked();
  }

  List<Pending> claimPending(Tx tx, int max) {
    return tx.handle()
        .createQuery(pendingSql)
        .bind("max", max)
        .map(
            (rs, ctx) ->
                new Pending(rs.getString("id"), rs.getString("app_id"), rs.getString("type")))
        .list();
  }

  void markPublished(Tx tx, Collection<String> ids, long now) {
    tx.handle()
        .createUpdate("UPDATE outbox_events SET published_at = :now WHERE id IN (<ids>)")
        .bind("now", now)
        .bindList("ids", List.copyOf(ids))
        .execute();
  }

  Optional<WebhookMessage> message(String appId, String eventId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT id, app_id, type, payload, created_at FROM outbox_events WHERE app_id = :app AND id = :id")
                .bind("app", appId)
                .bind("id", eventId)
                .map(
                    (rs, ctx) ->
                        WebhookMessage.of(
                            rs.getString("id"),
                            rs.getString("app_id"),
                            rs.getString("type"),
                            rs.getString("payload"),
                            rs.getLong("created_at")))
                .findOne());
  }

  /** Deletes published events created before {@code before}. */
  int purge(Tx tx, long before) {
    return tx.handle()
        .createUpdate(
            "DELETE FROM outbox_events WHERE created_at < :before AND published_at IS NOT NULL")
        .bind("before", before)
        .execute();
  }
}
