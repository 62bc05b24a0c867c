package dev.herald.preference;

import dev.herald.delivery.Delivery;
import dev.herald.store.Tx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write side of digests, run in the transaction that writes a page of deliveries: rows the
 * preference check kept for a digest become digest items, one per subscriber and channel however
 * many devices a push had. Thread-safe.
 */
public final class Digesting {
  /** The job kind of a digest sweep: sends the digests of one app whose window has ended. */
  public static final String SWEEP_KIND = "digest";

  /** A sweep job's payload: the window end it was scheduled for. */
  public record Sweep(long dueAt) {}

  private final DigestItems items;

  Digesting(DigestItems items) {
    this.items = items;
  }

  /**
   * Records the rows of one notification skipped with reason {@code digested} that {@code dueAt}
   * (delivery id → epoch millis, from the preference check) says when to send; rows it does not
   * list (a throttle's overflow) were recorded by the throttle.
   */
  public void record(
      Tx tx,
      String appId,
      String notificationId,
      String category,
      List<Delivery> rows,
      Map<String, Long> dueAt,
      long now) {
    List<DigestItems.Item> kept = new ArrayList<>();
    Set<String> noted = new HashSet<>();
    for (Delivery d : rows) {
      Long due = dueAt.get(d.id());
      if (due == null || !Rows.DIGESTED.equals(d.reason()) || d.subscriberId() == null) continue;
      if (noted.add(d.subscriberId() + "|" + d.channel())) {
        kept.add(
            new DigestItems.Item(
                appId, notificationId, d.subscriberId(), category, d.channel(), now, due));
      }
    }
    items.record(tx, kept);
  }
}
