package dev.herald.realtime;

import dev.herald.delivery.DeliveryObserver;
import dev.herald.notification.NotificationRepository;
import dev.herald.notification.NotificationRepository.Delta;
import dev.herald.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves in-app deliveries from {@code sent} to {@code delivered} once a live connection has written
 * them to a client. Marks are collected and written in one transaction every {@link #FLUSH_MILLIS}
 * at most, with one counter update per notification, so a broadcast to many connected subscribers
 * costs a few writes rather than one per subscriber.
 */
public final class DeliveredMarker implements Delivered, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveredMarker.class);
  static final long FLUSH_MILLIS = 200;

  private final Database db;
  private final NotificationRepository notifications;
  private final DeliveryObserver observer;
  private final Clock clock;
  private final Set<String> pending = new LinkedHashSet<>();
  private final Thread writer;
  private volatile boolean closed;

  public DeliveredMarker(
      Database db, NotificationRepository notifications, DeliveryObserver observer, Clock clock) {
    this.db = db;
    this.notifications = notifications;
    this.observer = observer;
    this.clock = clock;
    this.writer = Thread.ofVirtual().name("herald-delivered").start(this::run);
  }

  @Override
  public void received(String appId, String subscriberId, String notificationId) {
    synchronized (pending) {
      pending.add(notificationId + '\n' + subscriberId);
      pending.notifyAll();
    }
  }

  private void run() {
    while (!closed || !isEmpty()) {
      try {
        List<String> marks;
        synchronized (pending) {
          while (pending.isEmpty() && !closed) pending.wait();
          marks = List.copyOf(pending);
          pending.clear();
        }
        if (!marks.isEmpty()) write(marks);
        if (!closed) Thread.sleep(FLUSH_MILLIS);
      } catch (InterruptedException e) {
        if (!closed) return;
      } catch (RuntimeException e) {
        log.warn("Could not mark in-app deliveries delivered", e);
      }
    }
  }

  private boolean isEmpty() {
    synchronized (pending) {
      return pending.isEmpty();
    }
  }

  private void write(List<String> marks) {
    long total =
        db.write(
            tx -> {
              long now = clock.millis();
              PreparedBatch batch =
                  tx.handle()
                      .prepareBatch(
                          "UPDATE deliveries SET status = 'delivered', updated_at = :now WHERE notification_id = :n"
                              + " AND channel = 'in_app' AND recipient_key = :key AND status = 'sent'");
              List<String> notificationIds = new ArrayList<>(marks.size());
              for (String mark : marks) {
                String[] parts = mark.split("\n", 2);
                notificationIds.add(parts[0]);
                batch.bind("now", now).bind("n", parts[0]).bind("key", "s:" + parts[1]).add();
              }
              int[] counts = batch.execute();
              Map<String, Long> moved = new LinkedHashMap<>();
              for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) moved.merge(notificationIds.get(i), 1L, Long::sum);
              }
              moved.forEach(
                  (id, k) -> notifications.apply(tx, id, new Delta(0, 0, -k, k, 0, 0, 0), now));
              return moved.values().stream().mapToLong(Long::longValue).sum();
            });
    if (total > 0) observer.outcome("in_app", "inbox", "delivered", total);
  }

  /** Writes what is collected, then stops. */
  @Override
  public void close() {
    closed = true;
    synchronized (pending) {
      pending.notifyAll();
    }
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
