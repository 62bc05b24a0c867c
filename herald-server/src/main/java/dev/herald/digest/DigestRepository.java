package dev.herald.digest;

import dev.herald.store.Tx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The notifications kept for digests, read by subscriber and category and consumed once. */
final class DigestRepository {

  /** One subscriber's digest in one category; ordered by subscriber, then category. */
  record Key(String subscriberId, String category) {
    static final Key START = new Key("", "");
  }

  /** One kept notification for one subscriber and channel. */
  record Item(
      String notificationId, String subscriberId, String category, String channel, long createdAt) {
    Key key() {
      return new Key(subscriberId, category);
    }
  }

  /**
   * Up to {@code limit} subscriber/category pairs after {@code after} with items due by {@code
   * now}.
   */
  List<Key> due(Handle h, String appId, long now, Key after, int limit) {
    return h.createQuery(
            "SELECT DISTINCT subscriber_id, category FROM digest_items WHERE app_id = :app AND due_at <= :now"
                + " AND (subscriber_id > :s OR (subscriber_id = :s AND category > :c))"
                + " ORDER BY subscriber_id, category LIMIT :limit")
        .bind("app", appId)
        .bind("now", now)
        .bind("s", after.subscriberId())
        .bind("c", after.category())
        .bind("limit", limit)
        .map((rs, ctx) -> new Key(rs.getString("subscriber_id"), rs.getString("category")))
        .list();
  }

  /** The items due by {@code now} of the given pairs, oldest first. */
  List<Item> items(Handle h, String appId, long now, List<Key> keys) {
    if (keys.isEmpty()) return List.of();
    Set<Key> wanted = Set.copyOf(keys);
    return h.createQuery(
            "SELECT notification_id, subscriber_id, category, channel, created_at FROM digest_items"
                + " WHERE app_id = :app AND due_at <= :now AND subscriber_id IN (<subscribers>)"
                + " ORDER BY created_at, notification_id")
        .bind("app", appId)
        .bind("now", now)
        .bindList(
            "subscribers",
            keys.stream().map(Key::subscriberId).distinct().collect(Collectors.toList()))
        .map(
            (rs, ctx) ->
                new Item(
                    rs.getString("notification_id"),
                    rs.getString("subscriber_id"),
                    rs.getString("category"),
                    rs.getString("channel"),
                    rs.getLong("created_at")))
        .filter(i -> wanted.contains(i.key()))
        .list();
  }

  /**
   * Deletes the items in one batch and answers those this transaction deleted: an item another
   * sweep consumed first is not among them, so every item goes into exactly one digest.
   */
  List<Item> consume(Tx tx, String appId, List<Item> items) {
    if (items.isEmpty()) return List.of();
    PreparedBatch batch =
        tx.handle()
            .prepareBatch(
                "DELETE FROM digest_items WHERE app_id = :app AND notification_id = :n AND subscriber_id = :s AND channel = :channel");
    for (Item i : items) {
      batch
          .bind("app", appId)
          .bind("n", i.notificationId())
          .bind("s", i.subscriberId())
          .bind("channel", i.channel())
          .add();
    }
    int[] deleted = batch.execute();
    List<Item> mine = new ArrayList<>(items.size());
    for (int k = 0; k < items.size(); k++) if (deleted[k] > 0) mine.add(items.get(k));
    return mine;
  }

  /** The window's sweep has run: a later item for the same window end schedules a new one. */
  void windowSwept(Tx tx, String appId, long dueAt) {
    tx.handle()
        .createUpdate("DELETE FROM digest_windows WHERE app_id = :app AND due_at = :due")
        .bind("app", appId)
        .bind("due", dueAt)
        .execute();
  }
}
