package dev.herald.notification;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryJob;
import dev.herald.delivery.DeliveryObserver;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.DeliverySender;
import dev.herald.inbox.Inbox;
import dev.herald.notification.FanOutPlanner.Plan;
import dev.herald.notification.NotificationRepository.Delta;
import dev.herald.preference.Digesting;
import dev.herald.preference.Throttling;
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
 * writes nothing twice) after the category's throttle, the counter change for what was new, and
 * send jobs for new pending deliveries, grouped by channel, provider and run time (quiet hours hold
 * some) in the sender's batch size.
 */
final class PlanWriter {
  private final NotificationRepository notifications;
  private final DeliveryRepository deliveries;
  private final Inbox inbox;
  private final ChannelSenders senders;
  private final Throttling throttling;
  private final Digesting digesting;
  private final WorkQueue queue;
  private final Clock clock;
  private final DeliveryObserver observer;

  PlanWriter(
      NotificationRepository notifications,
      DeliveryRepository deliveries,
      Inbox inbox,
      ChannelSenders senders,
      Throttling throttling,
      Digesting digesting,
      WorkQueue queue,
      Clock clock,
      DeliveryObserver observer) {
    this.notifications = notifications;
    this.deliveries = deliveries;
    this.inbox = inbox;
    this.senders = senders;
    this.throttling = throttling;
    this.digesting = digesting;
    this.queue = queue;
    this.clock = clock;
    this.observer = observer;
  }

  /** Writes rows for an existing notification, adds their counts to it, and enqueues send jobs. */
  void write(Tx tx, Notification n, Plan plan) {
    Throttling.Throttled t =
        throttling.apply(
            tx, n.appId(), n.id(), n.category(), plan.deliveries(), plan.items(), true);
    List<Delivery> inserted = deliveries.insertNew(tx, t.rows());
    digesting.record(
        tx, n.appId(), n.id(), n.category(), inserted, plan.heldUntil(), clock.millis());
    inbox.deliver(tx, t.items());
    notifications.apply(tx, n.id(), count(inserted), clock.millis());
    jobs(tx, n, inserted, plan.heldUntil(), OptionalLong.empty());
  }

  /** A notification as inserted, with the send jobs leased to the caller (if it asked). */
  record Inserted(Notification notification, List<Job> leased) {}

  /**
   * Inserts a new notification already fanned out: its counters, status and progress are known from
   * the rows, so it is one insert rather than an insert and several updates.
   */
  Inserted insertFannedOut(Tx tx, Notification n, Plan all, OptionalLong leaseUntil) {
    return insertFannedOut(tx, n, all, leaseUntil, true);
  }

  /** As above; with {@code throttled} false the category's throttle neither counts nor holds it. */
  Inserted insertFannedOut(
      Tx tx, Notification n, Plan all, OptionalLong leaseUntil, boolean throttled) {
    Throttling.Throttled t =
        throttled
            ? throttling.apply(
                tx, n.appId(), n.id(), n.category(), unique(all.deliveries()), all.items(), false)
            : new Throttling.Throttled(unique(all.deliveries()), all.items());
    List<Delivery> rows = t.rows();
    Delta d = count(rows);
    long now = clock.millis();
    boolean settled = d.pending() == 0 && !n.send().escalates();
    String status =
        settled
            ? NotificationStatus.outcome(d.sent(), d.delivered(), d.failed())
            : NotificationStatus.PROCESSING;
    Notification inserted =
        new Notification(
            n.id(),
            n.appId(),
            status,
            n.lane(),
            n.category(),
            n.send(),
            n.idempotencyKey(),
            n.requestHash(),
            n.sendAt(),
            FanOutPlanner.START,
            true,
            all.recipients(),
            new Notification.Counts(
                d.total(),
                d.pending(),
                d.sent(),
                d.delivered(),
                d.failed(),
                d.skipped(),
                d.canceled()),
            n.createdAt(),
            now,
            settled ? now : null);
    notifications.insert(tx, inserted);
    deliveries.insertNew(tx, rows);
    digesting.record(tx, n.appId(), n.id(), n.category(), rows, all.heldUntil(), now);
    inbox.deliver(tx, t.items());
    if (settled) {
      notifications.recordSettled(tx, inserted);
      tx.afterCommit(() -> observer.notificationFinished(status));
    }
    return new Inserted(inserted, jobs(tx, n, rows, all.heldUntil(), leaseUntil));
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
   * leased to the caller to run at once (answered). Rows held for quiet hours get jobs of their own
   * that run when the hours end, never leased.
   */
  private List<Job> jobs(
      Tx tx,
      Notification n,
      List<Delivery> rows,
      Map<String, Long> heldUntil,
      OptionalLong leaseUntil) {
    long now = clock.millis();
    Map<String, List<String>> toSend = new LinkedHashMap<>();
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (Delivery d : rows) {
      if (d.status().equals("pending")) {
        long runAt = Math.max(now, heldUntil.getOrDefault(d.id(), now));
        toSend
            .computeIfAbsent(d.channel() + "/" + d.provider() + "/" + runAt, k -> new ArrayList<>())
            .add(d.id());
      } else {
        outcomes.merge(
            d.channel() + "/" + (d.provider() == null ? "none" : d.provider()) + "/" + d.status(),
            1L,
            Long::sum);
      }
    }
    List<NewJob> jobs = new ArrayList<>();
    List<NewJob> held = new ArrayList<>();
    Lane lane = Lane.of(n.lane());
    for (Map.Entry<String, List<String>> e : toSend.entrySet()) {
      String[] cpt = e.getKey().split("/", 3);
      long runAt = Long.parseLong(cpt[2]);
      DeliverySender sender = senders.find(n.appId(), cpt[0], cpt[1]).orElseThrow();
      List<String> all = e.getValue();
      for (int i = 0; i < all.size(); i += sender.batchSize()) {
        List<String> chunk =
            List.copyOf(all.subList(i, Math.min(all.size(), i + sender.batchSize())));
        NewJob job =
            new NewJob(
                lane,
                DeliveryJob.KIND,
                n.appId(),
                n.id(),
                Json.write(new DeliveryJob(cpt[0], cpt[1], chunk)),
                runAt);
        (runAt > now ? held : jobs).add(job);
      }
    }
    List<Job> leased = List.of();
    if (leaseUntil.isPresent()) {
      leased = queue.enqueueLeased(tx, jobs, leaseUntil.getAsLong());
    } else {
      queue.enqueue(tx, jobs);
    }
    queue.enqueue(tx, held);
    double latency = Math.max(0, now - FanOut.startOf(n)) / 1000.0;
    long inApp = outcomes.getOrDefault("in_app/inbox/sent", 0L);
    tx.afterCommit(
        () -> {
          outcomes.forEach(
              (k, count) -> {
                String[] parts = k.split("/", 3);
                observer.outcome(parts[0], parts[1], parts[2], count);
              });
          if (inApp > 0) observer.latency(n.lane(), latency, inApp);
        });
    return leased;
  }
}
