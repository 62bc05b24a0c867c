package dev.herald.email;

import dev.herald.store.Tx;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Opt-outs made through unsubscribe links, kept per subscriber, channel and category ({@code ''}
 * standing for every category); fan-out asks which subscribers of a page turned a channel off.
 */
public final class Unsubscribes implements OptOuts {
  private final Clock clock;

  public Unsubscribes(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void optOut(Tx tx, String appId, String subscriberId, String category, String channel) {
    tx.handle()
        .createUpdate(
            "INSERT INTO unsubscribes (app_id, subscriber_id, channel, category, created_at)"
                + " VALUES (:app, :subscriber, :channel, :category, :now) ON CONFLICT DO NOTHING")
        .bind("app", appId)
        .bind("subscriber", subscriberId)
        .bind("channel", channel)
        .bind("category", category == null ? "" : category)
        .bind("now", clock.millis())
        .execute();
  }

  /** Which of {@code subscribers} turned {@code channel} off for {@code category} or for all. */
  public static Set<String> optedOut(
      Handle h, String appId, String channel, String category, Collection<String> subscribers) {
    if (subscribers.isEmpty()) return Set.of();
    return new HashSet<>(
        h.createQuery(
                "SELECT DISTINCT subscriber_id FROM unsubscribes WHERE app_id = :app AND channel = :channel"
                    + " AND category IN ('', :category) AND subscriber_id IN (<ids>)")
            .bind("app", appId)
            .bind("channel", channel)
            .bind("category", category == null ? "" : category)
            .bindList("ids", List.copyOf(subscribers))
            .mapTo(String.class)
            .list());
  }
}
