package dev.herald.preference;

import dev.herald.delivery.Delivery;
import dev.herald.inbox.InboxItem;
import dev.herald.store.Tx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The write side of category throttles, run in the transaction that writes a page of deliveries:
 * each subscriber a notification reaches counts once in the category's current window, and past the
 * limit every delivery of theirs is skipped with reason {@code throttled}, or {@code digested} and
 * recorded for the digest. Thread-safe.
 */
public final class Throttling {
  private final ThrottleRepository repo;
  private final DigestItems digestItems;
  private final CategoryCache categories;
  private final Clock clock;

  Throttling(
      ThrottleRepository repo, DigestItems digestItems, CategoryCache categories, Clock clock) {
    this.repo = repo;
    this.digestItems = digestItems;
    this.categories = categories;
    this.clock = clock;
  }

  /** The page's rows and inbox items after the throttle. */
  public record Throttled(List<Delivery> rows, List<InboxItem> items) {}

  /**
   * Applies the throttle of {@code category} (if it has one) to one notification's planned rows.
   * {@code written} says the notification may already have rows for these subscribers (the in-app
   * items of listed subscribers, written when it was accepted): for them the decision made then
   * stands and they are not counted again.
   */
  public Throttled apply(
      Tx tx,
      String appId,
      String notificationId,
      String category,
      List<Delivery> rows,
      List<InboxItem> items,
      boolean written) {
    Throttled unchanged = new Throttled(rows, items);
    CategorySettings settings = categories.get(tx.handle(), appId, category);
    if (settings == null || settings.throttle() == null) return unchanged;
    Throttle throttle = settings.throttle();
    TreeSet<String> reached = new TreeSet<>();
    boolean inApp = false;
    for (Delivery d : rows) {
      if (d.subscriberId() != null && Rows.reaches(d)) reached.add(d.subscriberId());
      inApp |= d.channel().equals("in_app");
    }
    if (reached.isEmpty()) return unchanged;
    Map<String, String> overflow = new HashMap<>();
    if (written && inApp) {
      repo.earlierInApp(tx.handle(), notificationId, reached)
          .forEach(
              (subscriber, earlier) -> {
                if (earlier.heldBack()) overflow.put(subscriber, earlier.reason());
                if (earlier.counted()) reached.remove(subscriber);
              });
    }
    long now = clock.millis();
    String reason = throttle.digests() ? Rows.DIGESTED : Rows.THROTTLED;
    long windowStart = throttle.windowStart(now);
    repo.count(tx, appId, category, reached, windowStart)
        .forEach(
            (subscriber, hits) -> {
              if (hits > throttle.max()) overflow.put(subscriber, reason);
            });
    if (overflow.isEmpty()) return unchanged;
    List<Delivery> kept = new ArrayList<>(rows.size());
    List<DigestItems.Item> digest = new ArrayList<>();
    // The overflow's digest goes when the throttle window ends and the subscriber may hear again.
    long windowEnd = windowStart + throttle.length().toMillis();
    Set<String> noted = new HashSet<>();
    for (Delivery d : rows) {
      String why =
          d.subscriberId() == null || !Rows.reaches(d) ? null : overflow.get(d.subscriberId());
      kept.add(why == null ? d : Rows.skipped(d, why));
      // One digest item per subscriber and channel, however many devices the push went to.
      if (Rows.DIGESTED.equals(why) && noted.add(d.subscriberId() + "|" + d.channel())) {
        digest.add(
            new DigestItems.Item(
                appId, notificationId, d.subscriberId(), category, d.channel(), now, windowEnd));
      }
    }
    digestItems.record(tx, digest);
    return new Throttled(
        kept, items.stream().filter(i -> !overflow.containsKey(i.subscriberId())).toList());
  }
}
