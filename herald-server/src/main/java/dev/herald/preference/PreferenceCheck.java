package dev.herald.preference;

import dev.herald.delivery.Delivery;
import dev.herald.inbox.InboxItem;
import dev.herald.preference.PreferenceRepository.Loaded;
import dev.herald.queue.Lane;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The read side of preferences, for fan-out: applies channel settings and quiet hours to one page
 * of planned deliveries with one query for the page's subscribers (app categories come from a short
 * cache). Deliveries without a subscriber (raw tokens, anonymous devices) and those already skipped
 * are left as planned. Thread-safe.
 */
public final class PreferenceCheck {
  /** The reason a pending delivery carries while it waits for the end of quiet hours. */
  public static final String QUIET_HOURS = Rows.QUIET_HOURS;

  private final PreferenceRepository repo;
  private final CategoryCache categories;

  PreferenceCheck(PreferenceRepository repo, CategoryCache categories) {
    this.repo = repo;
    this.categories = categories;
  }

  /**
   * A page after preferences: rows turned off are {@code skipped} with reason {@code preferences}
   * (an in-app one loses its inbox item too); push, email and SMS rows inside the subscriber's
   * quiet hours stay {@code pending} with reason {@code quiet_hours} and are listed in {@code
   * heldUntil} (delivery id → epoch milliseconds when they may go), as are rows kept for a digest
   * (skipped, reason {@code digested}: the end of their digest window).
   */
  public record Checked(List<Delivery> rows, List<InboxItem> items, Map<String, Long> heldUntil) {}

  /**
   * Checks the deliveries one notification ({@code category} may be null; {@code lane} its priority
   * lane) plans at {@code now}. Critical notifications and locked categories are never held by
   * quiet hours nor kept for a digest.
   */
  public Checked apply(
      Handle h,
      String appId,
      String category,
      String lane,
      List<Delivery> rows,
      List<InboxItem> items,
      long now) {
    return apply(h, appId, category, lane, rows, items, now, true);
  }

  /**
   * As {@link #apply(Handle, String, String, String, List, List, long)}; with {@code digests} the
   * push, email and SMS rows of subscribers with a digest window for the category are {@code
   * skipped} with reason {@code digested} and listed in {@code heldUntil} with the window's end
   * (their digest goes then); a digest itself is checked without.
   */
  public Checked apply(
      Handle h,
      String appId,
      String category,
      String lane,
      List<Delivery> rows,
      List<InboxItem> items,
      long now,
      boolean digests) {
    Set<String> subscribers = new HashSet<>();
    for (Delivery d : rows)
      if (d.subscriberId() != null && Rows.reaches(d)) subscribers.add(d.subscriberId());
    if (subscribers.isEmpty()) return new Checked(rows, items, Map.of());
    CategorySettings app = categories.get(h, appId, category);
    Map<String, Loaded> stored = repo.forSubscribers(h, appId, subscribers);
    boolean quietMatters = !Lane.CRITICAL.key().equals(lane) && (app == null || !app.locked());
    Instant at = Instant.ofEpochMilli(now);
    boolean digestMatters = digests && quietMatters && category != null;
    Map<String, Optional<Instant>> quietEnds = new HashMap<>();
    Map<String, Optional<Long>> digestEnds = new HashMap<>();
    List<Delivery> checked = new ArrayList<>(rows.size());
    Map<String, Long> heldUntil = new HashMap<>();
    Set<String> noInbox = new HashSet<>();
    for (Delivery d : rows) {
      if (d.subscriberId() == null || !Rows.reaches(d)) {
        checked.add(d);
        continue;
      }
      Loaded l = stored.get(d.subscriberId());
      SubscriberPreferences p = l == null ? SubscriberPreferences.NONE : l.preferences();
      if (!Resolution.enabled(p, category, app, d.channel())) {
        checked.add(Rows.skipped(d, Rows.OPTED_OUT));
        if (d.channel().equals("in_app")) noInbox.add(d.subscriberId());
        continue;
      }
      // Only pending rows are kept for a digest: in-app rows are planned sent (the inbox is the
      // archive and gets items at once), and rows already skipped would not have gone anyway.
      if (digestMatters && d.status().equals("pending")) {
        Optional<Long> due =
            digestEnds.computeIfAbsent(
                d.subscriberId(),
                s ->
                    Resolution.digest(p, category, app)
                        .map(
                            w ->
                                w.endAfter(
                                    now, DigestWindow.zone(l == null ? null : l.timezone()))));
        if (due.isPresent()) {
          d = Rows.skipped(d, Rows.DIGESTED);
          heldUntil.put(d.id(), due.get());
          checked.add(d);
          continue;
        }
      }
      // In-app rows are planned sent, not pending: the inbox item is silent and stored at once.
      if (quietMatters && p.quietHours() != null && d.status().equals("pending")) {
        Optional<Instant> end =
            quietEnds.computeIfAbsent(
                d.subscriberId(), s -> QuietWindow.of(p.quietHours(), l.timezone()).endAfter(at));
        if (end.isPresent()) {
          d = Rows.with(d, "pending", Rows.QUIET_HOURS);
          heldUntil.put(d.id(), end.get().toEpochMilli());
        }
      }
      checked.add(d);
    }
    List<InboxItem> kept =
        noInbox.isEmpty()
            ? items
            : items.stream().filter(i -> !noInbox.contains(i.subscriberId())).toList();
    return new Checked(checked, kept, heldUntil);
  }
}
