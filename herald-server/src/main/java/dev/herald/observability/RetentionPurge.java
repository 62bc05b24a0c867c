package dev.herald.observability;

import dev.herald.delivery.DeliveryRepository;
import dev.herald.inbox.InboxRepository;
import dev.herald.notification.NotificationRepository;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import java.time.Clock;
import java.time.Duration;
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
  private Thread thread;

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
            tx ->
                (long) deliveries.purge(tx, before)
                    + inbox.purge(tx, before, now)
                    + notifications.purge(tx, before)
                    + queue.purgeDeadLetters(tx, now));
    if (n > 0) log.info("Retention purge deleted {} rows", n);
    return n;
  }

  @Override
  public void close() {
    if (thread != null) thread.interrupt();
  }
}
