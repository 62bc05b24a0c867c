package dev.herald.preference;

import dev.herald.store.Tx;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.StringJoiner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** Throttle windows per subscriber and category. */
final class ThrottleRepository {
  // Four parameters a row: a default page of 1,000 is one statement, far below the 32,766
  // parameters
  // SQLite and 65,535 PostgreSQL take.
  static final int CHUNK = 1_000;

  /** One subscriber's in-app delivery of a notification, written by an earlier transaction. */
  record Earlier(String status, String reason) {
    /** The throttle held this notification back from the subscriber then. */
    boolean heldBack() {
      return Rows.THROTTLED.equals(reason) || Rows.DIGESTED.equals(reason);
    }

    /**
     * The subscriber was counted then: reached, or held back. One its preferences turned off was
     * not.
     */
    boolean counted() {
      return !status.equals("skipped") || heldBack();
    }
  }

  /**
   * Counts one more notification for each subscriber in the window starting {@code windowStart} (a
   * newer window starts again at one) and answers each subscriber's count: one statement for a page
   * (an explicit list longer than {@link #CHUNK} takes one per chunk). The row lock it takes orders
   * concurrent fan-outs to the same subscriber, so two of them never both see room for the last
   * slot; subscribers go in sorted order so two pages never wait on each other's rows.
   */
  Map<String, Long> count(
      Tx tx, String appId, String category, SortedSet<String> subscribers, long windowStart) {
    Map<String, Long> hits = new HashMap<>();
    List<String> all = List.copyOf(subscribers);
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      StringJoiner values = new StringJoiner(", ");
      for (int i = 0; i < chunk.size(); i++)
        values.add("(:app, :s" + i + ", :category, :window, 1)");
      Query q =
          tx.handle()
              .createQuery(
                  "INSERT INTO throttle_counts (app_id, subscriber_id, category, window_start, hits) VALUES "
                      + values
                      + " ON CONFLICT (app_id, subscriber_id, category) DO UPDATE SET hits = CASE WHEN"
                      + " throttle_counts.window_start = excluded.window_start THEN throttle_counts.hits + 1 ELSE 1 END,"
                      + " window_start = excluded.window_start RETURNING subscriber_id, hits")
              .bind("app", appId)
              .bind("category", category)
              .bind("window", windowStart);
      for (int i = 0; i < chunk.size(); i++) q.bind("s" + i, chunk.get(i));
      q.map((rs, ctx) -> Map.entry(rs.getString("subscriber_id"), rs.getLong("hits")))
          .forEach(e -> hits.put(e.getKey(), e.getValue()));
    }
    return hits;
  }

  /** The in-app deliveries this notification already has for these subscribers. */
  Map<String, Earlier> earlierInApp(
      Handle h, String notificationId, Collection<String> subscribers) {
    Map<String, Earlier> found = new HashMap<>();
    if (subscribers.isEmpty()) return found;
    h.createQuery(
            "SELECT subscriber_id, status, reason FROM deliveries WHERE notification_id = :n AND channel = 'in_app'"
                + " AND recipient_key IN (<keys>)")
        .bind("n", notificationId)
        .bindList("keys", subscribers.stream().map(s -> "s:" + s).toList())
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString("subscriber_id"),
                    new Earlier(rs.getString("status"), rs.getString("reason"))))
        .forEach(e -> found.put(e.getKey(), e.getValue()));
    return found;
  }
}
