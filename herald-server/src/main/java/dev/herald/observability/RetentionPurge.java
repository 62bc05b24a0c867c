package dev.herald.observability;

import dev.herald.delivery.DeliveryRepository;
import dev.herald.inbox.InboxRepository;
import dev.herald.notification.NotificationRepository;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is older than {@code HERALD_RETENTION} (deliveries, inbox items, finished
 * notifications) and dead letters past {@code HERALD_DLQ_RETENTION}. Runs a minute after start and
 * then hourly; survives its own failures.
 */
public final class RetentionPurge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

  private final Database db;
  private final NotificationRepository notifications;
  private final DeliveryRepository deliveries;
  private final InboxRepository inbox;
  private final WorkQueue queue;
  private final Duration retention;
  private final Clock clock;
  private final List<Purge> more = new CopyOnWriteArrayList<>();
  private Thread thread;

  /** Rows of another feature kept for {@code HERALD_RETENTION}: deletes those created before. */
  @FunctionalInterface
  public interface Purge {
    int purge(Tx tx, long before) throws Exception;
  }

  public RetentionPurge(
      Database db,
      NotificationRepository notifications,
      DeliveryRepository deliveries,
      InboxRepository inbox,
      WorkQueue queue,
      Duration retention,
      Clock clock) {
    this.db = db;
    this.notifications = notifications;
    this.deliveries = deliveries;
    this.inbox = inbox;
    this.queue = queue;
    this.retention = retention;
    this.clock = clock;
  }

  /** Adds a feature's rows to every pass. */
  public RetentionPurge also(Purge purge) {
    more.add(purge);
    return this;
  }

  public void start() {
    thread =
        Thread.ofPlatform()
            .name("herald-retention")
            .daemon()
            .start(
                () -> {
                  long wait = Duration.ofMinutes(1).toMillis();
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(wait);
                      purgeOnce();
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      log.error("Retention purge failed; it will keep running", e);
                    }
                    wait = Duration.ofHours(1).toMillis();
                  }
                });
  }

  /** One purge pass; answers the rows deleted. */
  public long purgeOnce() {
    long now = clock.millis();
    long before = now - retention.toMillis();
    long n =
        db.write(
            tx -> {
              long rows =
                  (long) deliveries.purge(tx, before)
                      + inbox.purge(tx, before, now)
                      + notifications.purge(tx, before)
                      + queue.purgeDeadLetters(tx, now);
              for (Purge p : more) rows += p.purge(tx, before);
              return rows;
            });
    if (n > 0) log.info("Retention purge deleted {} rows", n);
    return n;
  }

  @Override
  public void close() {
    if (thread != null) thread.interrupt();
  }
}
