package dev.herald.preference;

import dev.herald.queue.Lane;
import dev.herald.queue.NewJob;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Notifications kept for a subscriber's digest, per channel, each with the time its digest goes
 * out; writing one for a window end no sweep covers yet schedules that sweep, once per app and
 * window end (not per subscriber), in the same transaction.
 */
final class DigestItems {
  /** A notification kept back for one subscriber's digest on one channel. */
  record Item(
      String appId,
      String notificationId,
      String subscriberId,
      String category,
      String channel,
      long createdAt,
      long dueAt) {}

  private final WorkQueue queue;

  DigestItems(WorkQueue queue) {
    this.queue = queue;
  }

  void record(Tx tx, List<Item> items) {
    if (items.isEmpty()) return;
    PreparedBatch batch =
        tx.handle()
            .prepareBatch(
                "INSERT INTO digest_items (app_id, notification_id, subscriber_id, category, channel, created_at, due_at)"
                    + " VALUES (:app, :n, :s, :category, :channel, :at, :due)"
                    + " ON CONFLICT (notification_id, subscriber_id, channel) DO NOTHING");
    for (Item i : items) {
      batch
          .bind("app", i.appId())
          .bind("n", i.notificationId())
          .bind("s", i.subscriberId())
          .bind("category", i.category())
          .bind("channel", i.channel())
          .bind("at", i.createdAt())
          .bind("due", i.dueAt())
          .add();
    }
    batch.execute();
    Map<String, TreeSet<Long>> windows =
        items.stream()
            .collect(
                Collectors.groupingBy(
                    Item::appId,
                    Collectors.mapping(Item::dueAt, Collectors.toCollection(TreeSet::new))));
    windows.forEach((app, ends) -> ends.forEach(end -> schedule(tx, app, end)));
  }

  /** A sweep for the app's window ending {@code dueAt}, unless one is scheduled already. */
  private void schedule(Tx tx, String appId, long dueAt) {
    int added =
        tx.handle()
            .createUpdate(
                "INSERT INTO digest_windows (app_id, due_at) VALUES (:app, :due) ON CONFLICT (app_id, due_at) DO NOTHING")
            .bind("app", appId)
            .bind("due", dueAt)
            .execute();
    if (added == 0) return;
    queue.enqueue(
        tx,
        List.of(
            new NewJob(
                Lane.BULK,
                Digesting.SWEEP_KIND,
                appId,
                null,
                Json.write(new Digesting.Sweep(dueAt)),
                dueAt)));
  }
}
