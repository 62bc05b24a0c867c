package dev.herald.notification;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryJob;
import dev.herald.delivery.DeliveryObserver;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.DeliverySender;
import dev.herald.inbox.InboxItem;
import dev.herald.inbox.Inbox;
import dev.herald.notification.NotificationRepository.Delta;
import dev.herald.queue.Job;
import dev.herald.queue.Lane;
import dev.herald.queue.NewJob;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Writes planned rows: deliveries and inbox items (skipping any that exist, so a repeated page
 * writes nothing twice), the counter change for what was new, and send jobs for new pending
 * deliveries, grouped by channel and provider in the sender's batch size.
 */
final class PlanWriter {
  private final NotificationRepository notifications;
  private final DeliveryRepository deliveries;
  private final Inbox inbox;
  private final ChannelSenders senders;
  private final WorkQueue queue;
  private final Clock clock;
  private final DeliveryObserver observer;

  PlanWriter(NotificationRepository notifications, DeliveryRepository deliveries, Inbox inbox, ChannelSenders senders,
      WorkQueue queue, Clock clock, DeliveryObserver observer) {
    this.notifications = notifications;
    this.deliveries = deliveries;
    this.inbox = inbox;
    this.senders = senders;
    this.queue = queue;
    this.clock = clock;
    this.observer = observer;
  }

  /** Writes rows for an existing notification, adds their counts to it, and enqueues send jobs. */
  void write(Tx tx, Notification n, List<Delivery> rows, List<InboxItem> items) {
    List<Delivery> inserted = deliveries.insertNew(tx, rows);
    inbox.deliver(tx, items);
    notifications.apply(tx, n.id(), count(inserted), clock.millis());
    jobs(tx, n, inserted, OptionalLong.empty());
  }

  /** A notification as inserted, with the send jobs leased to the caller (if it asked). */
  record Inserted(Notification notification, List<Job> leased) {}

  /**
   * Inserts a new notification already fanned out: its counters, status and progress are known
   * from the rows, so it is one insert rather than an insert and several updates.
   */
  Inserted insertFannedOut(Tx tx, Notification n, List<Delivery> planned, List<InboxItem> items, long recipients,
      OptionalLong leaseUntil) {
    List<Delivery> rows = unique(planned);
    Delta d = count(rows);
    long now = clock.millis();
    boolean settled = d.pending() == 0 && !n.send().escalates();
    String status = settled ? NotificationStatus.outcome(d.sent(), d.delivered(), d.failed()) : NotificationStatus.PROCESSING;
    Notification inserted = new Notification(n.id(), n.appId(), status, n.lane(), n.category(), n.send(), n.idempotencyKey(),
        n.requestHash(), n.sendAt(), FanOutPlanner.START, true, recipients,
        new Notification.Counts(d.total(), d.pending(), d.sent(), d.delivered(), d.failed(), d.skipped(), d.canceled()),
        n.createdAt(), now, settled ? now : null);
    notifications.insert(tx, inserted);
    deliveries.insertNew(tx, rows);
    inbox.deliver(tx, items);
    if (settled) {
      notifications.recordSettled(tx, inserted);
      tx.afterCommit(() -> observer.notificationFinished(status));
    }
    return new Inserted(inserted, jobs(tx, n, rows, leaseUntil));
  }

  /**
   * One row per channel and recipient: a device can be planned twice (listed, and through its
   * subscriber), and counting both would leave a delivery pending that was never inserted.
   */
  private static List<Delivery> unique(List<Delivery> rows) {
    Map<String, Delivery> byKey = new LinkedHashMap<>();
    for (Delivery d : rows) byKey.putIfAbsent(d.channel() + "|" + d.recipientKey(), d);
    return byKey.size() == rows.size() ? rows : List.copyOf(byKey.values());
  }

  private static Delta count(List<Delivery> rows) {
    long pending = 0, sent = 0, skipped = 0, canceled = 0;
    for (Delivery d : rows) {
      switch (d.status()) {
        case "pending" -> pending++;
        case "sent" -> sent++;
        case "canceled" -> canceled++;
        default -> skipped++;
      }
    }
    return new Delta(rows.size(), pending, sent, 0, 0, skipped, canceled);
  }

  /**
   * Creates send jobs for the pending rows: enqueued for the workers, or, with {@code leaseUntil},
   * leased to the caller to run at once (answered).
   */
  private List<Job> jobs(Tx tx, Notification n, List<Delivery> rows, OptionalLong leaseUntil) {
    Map<String, List<String>> toSend = new LinkedHashMap<>();
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (Delivery d : rows) {
      if (d.status().equals("pending")) {
        toSend.computeIfAbsent(d.channel() + "/" + d.provider(), k -> new ArrayList<>()).add(d.id());
      } else {
        outcomes.merge(d.channel() + "/" + (d.provider() == null ? "none" : d.provider()) + "/" + d.status(), 1L, Long::sum);
      }
    }
    List<NewJob> jobs = new ArrayList<>();
    Lane lane = Lane.of(n.lane());
    for (Map.Entry<String, List<String>> e : toSend.entrySet()) {
      String[] cp = e.getKey().split("/", 2);
      DeliverySender sender = senders.find(n.appId(), cp[0], cp[1]).orElseThrow();
      List<String> all = e.getValue();
      for (int i = 0; i < all.size(); i += sender.batchSize()) {
        List<String> chunk = List.copyOf(all.subList(i, Math.min(all.size(), i + sender.batchSize())));
        jobs.add(new NewJob(lane, DeliveryJob.KIND, n.appId(), n.id(), Json.write(new DeliveryJob(cp[0], cp[1], chunk)), clock.millis()));
      }
    }
    List<Job> leased = List.of();
    if (leaseUntil.isPresent()) {
      leased = queue.enqueueLeased(tx, jobs, leaseUntil.getAsLong());
    } else {
      queue.enqueue(tx, jobs);
    }
    double latency = Math.max(0, clock.millis() - FanOut.startOf(n)) / 1000.0;
    long inApp = outcomes.getOrDefault("in_app/inbox/sent", 0L);
    tx.afterCommit(() -> {
      outcomes.forEach((k, count) -> {
        String[] parts = k.split("/", 3);
        observer.outcome(parts[0], parts[1], parts[2], count);
      });
      if (inApp > 0) observer.latency(n.lane(), latency, inApp);
    });
    return leased;
  }
}
