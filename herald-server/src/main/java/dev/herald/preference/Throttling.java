package dev.herald.preference;

import dev.herald.delivery.Delivery;
import dev.herald.inbox.InboxItem;
import dev.herald.preference.ThrottleRepository.DigestItem;
import dev.herald.preference.ThrottleRepository.Earlier;
import dev.herald.store.Tx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
  private final CategoryCache categories;
  private final Clock clock;

  Throttling(ThrottleRepository repo, CategoryCache categories, Clock clock) {
    this.repo = repo;
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
                if (decidedBefore(earlier)) reached.remove(subscriber);
                if (Rows.THROTTLED.equals(earlier.reason())
                    || Rows.DIGESTED.equals(earlier.reason())) {
                  overflow.put(subscriber, earlier.reason());
                }
              });
    }
    long now = clock.millis();
    String reason = throttle.digests() ? Rows.DIGESTED : Rows.THROTTLED;
    repo.count(tx, appId, category, reached, throttle.windowStart(now))
        .forEach(
            (subscriber, hits) -> {
              if (hits > throttle.max()) overflow.put(subscriber, reason);
            });
    if (overflow.isEmpty()) return unchanged;
    List<Delivery> kept = new ArrayList<>(rows.size());
    Map<String, Set<String>> digestChannels = new HashMap<>();
    for (Delivery d : rows) {
      String why =
          d.subscriberId() == null || !Rows.reaches(d) ? null : overflow.get(d.subscriberId());
      if (why == null) {
        kept.add(d);
        continue;
      }
      kept.add(Rows.skipped(d, why));
      if (why.equals(Rows.DIGESTED))
        digestChannels
            .computeIfAbsent(d.subscriberId(), s -> new LinkedHashSet<>())
            .add(d.channel());
    }
    List<DigestItem> digest = new ArrayList<>();
    digestChannels.forEach(
        (subscriber, channels) ->
            channels.forEach(
                channel ->
                    digest.add(
                        new DigestItem(
                            appId, notificationId, subscriber, category, channel, now))));
    repo.recordDigestItems(tx, digest);
    return new Throttled(
        kept, items.stream().filter(i -> !overflow.containsKey(i.subscriberId())).toList());
  }

  /**
   * Whether an earlier write already counted this subscriber: its in-app delivery went out or was
   * held back by the throttle. One its preferences turned off did not count.
   */
  private static boolean decidedBefore(Earlier earlier) {
    return !earlier.status().equals("skipped")
        || Rows.THROTTLED.equals(earlier.reason())
        || Rows.DIGESTED.equals(earlier.reason());
  }
}
