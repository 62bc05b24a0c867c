package dev.herald.inbox;

import dev.herald.store.Database;
import dev.herald.store.Tx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * The stored event log of every inbox: per-subscriber seqs handed out by {@code inbox_seqs}, and
 * the events themselves, read back for clients that reconnect.
 */
public final class InboxEvents {
  private static final int CHUNK = 500;

  private final Database db;

  public InboxEvents(Database db) {
    this.db = db;
  }

  /**
   * Reserves {@code n} seqs for each subscriber in one statement per chunk; answers the last seq
   * reserved per subscriber (the reserved ones are {@code last - n + 1 .. last}). Rows go in
   * subscriber order so concurrent writers lock them in the same order.
   */
  Map<String, Long> reserve(Tx tx, String appId, Map<String, Integer> perSubscriber) {
    List<String> subs = new ArrayList<>(perSubscriber.keySet());
    subs.sort(null);
    Map<String, Long> last = new HashMap<>();
    for (int i = 0; i < subs.size(); i += CHUNK) {
      List<String> chunk = subs.subList(i, Math.min(subs.size(), i + CHUNK));
      StringJoiner values = new StringJoiner(", ");
      for (int j = 0; j < chunk.size(); j++) values.add("(:app, :s" + j + ", :n" + j + ")");
      Query q =
          tx.handle()
              .createQuery(
                  "INSERT INTO inbox_seqs (app_id, subscriber_id, last_seq) VALUES "
                      + values
                      + " ON CONFLICT (app_id, subscriber_id) DO UPDATE SET last_seq = inbox_seqs.last_seq + excluded.last_seq"
                      + " RETURNING subscriber_id, last_seq")
              .bind("app", appId);
      for (int j = 0; j < chunk.size(); j++) {
        q.bind("s" + j, chunk.get(j)).bind("n" + j, (long) perSubscriber.get(chunk.get(j)));
      }
      q.map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
          .forEach(e -> last.put(e.getKey(), e.getValue()));
    }
    return last;
  }

  void insert(Tx tx, List<InboxEvent> events, long now) {
    if (events.isEmpty()) return;
    PreparedBatch batch =
        tx.handle()
            .prepareBatch(
                "INSERT INTO inbox_events (app_id, subscriber_id, seq, type, item_id, unread, created_at)"
                    + " VALUES (:app, :sub, :seq, :type, :item, :unread, :now)");
    for (InboxEvent e : events) {
      batch
          .bind("app", e.appId())
          .bind("sub", e.subscriberId())
          .bind("seq", e.seq())
          .bind("type", e.type())
          .bind("item", e.item() == null ? null : (String) e.item().get("id"))
          .bind("unread", e.unread())
          .bind("now", now)
          .add();
    }
    batch.execute();
  }

  /** The subscriber's latest seq (0 before any event). */
  public long latest(String appId, String subscriberId) {
    return db.read(h -> latest(h, appId, subscriberId));
  }

  static long latest(Handle h, String appId, String subscriberId) {
    return h.createQuery(
            "SELECT last_seq FROM inbox_seqs WHERE app_id = :app AND subscriber_id = :sub")
        .bind("app", appId)
        .bind("sub", subscriberId)
        .mapTo(Long.class)
        .findOne()
        .orElse(0L);
  }

  /**
   * Events after {@code after} up to {@code upTo}, oldest first, at most {@code limit}. Items are
   * joined as they are now; a deleted item answers its id only.
   */
  public List<InboxEvent> after(
      String appId, String subscriberId, long after, long upTo, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT e.seq, e.type, e.item_id, e.unread, i.* FROM inbox_events e"
                        + " LEFT JOIN inbox_items i ON i.id = e.item_id"
                        + " WHERE e.app_id = :app AND e.subscriber_id = :sub AND e.seq > :after AND e.seq <= :upTo"
                        + " ORDER BY e.seq LIMIT :limit")
                .bind("app", appId)
                .bind("sub", subscriberId)
                .bind("after", after)
                .bind("upTo", upTo)
                .bind("limit", limit)
                .map(
                    (rs, ctx) -> {
                      String itemId = rs.getString("item_id");
                      Map<String, Object> item = null;
                      if (itemId != null) {
                        item =
                            rs.getString("id") == null
                                ? Map.of("id", itemId)
                                : InboxRepository.map(rs, ctx).view();
                      }
                      return new InboxEvent(
                          appId,
                          subscriberId,
                          rs.getLong("seq"),
                          rs.getString("type"),
                          rs.getLong("unread"),
                          item);
                    })
                .list());
  }
}
