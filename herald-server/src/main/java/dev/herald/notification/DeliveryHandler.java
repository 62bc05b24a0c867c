package dev.herald.notification;

import dev.herald.delivery.Bulkheads;
import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Content;
import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryJob;
import dev.herald.delivery.DeliveryObserver;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.device.Device;
import dev.herald.device.DeviceLifecycle;
import dev.herald.device.DeviceRepository;
import dev.herald.notification.NotificationRepository.Delta;
import dev.herald.queue.Job;
import dev.herald.queue.JobHandler;
import dev.herald.queue.JobResult;
import dev.herald.queue.Lane;
import dev.herald.queue.NewJob;
import dev.herald.queue.TxAction;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs {@code deliver} jobs: sends the still-pending deliveries of one batch through their
 * channel's sender and records each outcome with the notification's counters in the transaction
 * that completes the job. Transient failures retry only the deliveries that need it.
 */
public final class DeliveryHandler implements JobHandler {
  // How soon a batch whose provider is at its concurrency limit is offered again.
  static final Duration PROVIDER_BUSY_WAIT = Duration.ofMillis(200);

  private final NotificationRepository notifications;
  private final DeliveryRepository deliveries;
  private final DeviceRepository devices;
  private final DeviceLifecycle lifecycle;
  private final ChannelSenders senders;
  private final Clock clock;
  private final DeliveryObserver observer;
  private final WorkQueue queue;
  private final Bulkheads bulkheads;
  private final Duration receiptDelay;
  private final RecipientContent contents;

  public DeliveryHandler(
      NotificationRepository notifications,
      DeliveryRepository deliveries,
      DeviceRepository devices,
      DeviceLifecycle lifecycle,
      ChannelSenders senders,
      Clock clock,
      DeliveryObserver observer,
      WorkQueue queue,
      Duration receiptDelay,
      Bulkheads bulkheads,
      RecipientContent contents) {
    this.notifications = notifications;
    this.deliveries = deliveries;
    this.devices = devices;
    this.lifecycle = lifecycle;
    this.senders = senders;
    this.clock = clock;
    this.observer = observer;
    this.queue = queue;
    this.receiptDelay = receiptDelay;
    this.bulkheads = bulkheads;
    this.contents = contents;
  }

  @Override
  public JobResult handle(Job job) throws Exception {
    DeliveryJob payload = Json.MAPPER.readValue(job.payload(), DeliveryJob.class);
    Optional<Notification> n = notifications.find(job.appId(), job.notificationId());
    List<Delivery> pending =
        deliveries.find(payload.deliveries()).stream()
            .filter(d -> d.status().equals("pending"))
            .toList();
    if (n.isEmpty() || pending.isEmpty()) return JobResult.done();
    Optional<DeliverySender> sender =
        senders.find(job.appId(), payload.channel(), payload.provider());
    if (sender.isEmpty()) {
      return new JobResult.Done(
          tx -> settle(tx, n.get(), skip(tx, pending, "provider_not_configured")));
    }
    Map<String, Device> owned =
        devices
            .findAll(
                job.appId(),
                pending.stream().map(Delivery::deviceId).filter(id -> id != null).toList())
            .stream()
            .collect(Collectors.toMap(Device::id, Function.identity()));
    List<Delivery> sendable = new ArrayList<>();
    List<Delivery> inactive = new ArrayList<>();
    for (Delivery d : pending) {
      Device device = d.deviceId() == null ? null : owned.get(d.deviceId());
      if (d.deviceId() != null && (device == null || !device.active())) inactive.add(d);
      else sendable.add(d);
    }
    Function<String, Content> content =
        contents.forSubscribers(n.get(), sendable.stream().map(Delivery::subscriberId).toList());
    List<Message> messages =
        sendable.stream()
            .map(
                d ->
                    message(
                        n.get(),
                        d,
                        owned.get(d.deviceId()),
                        content.apply(d.subscriberId()),
                        job.attempts()))
            .toList();
    List<SendOutcome> outcomes;
    if (messages.isEmpty()) {
      outcomes = List.of();
    } else {
      Optional<Bulkheads.Slot> slot =
          bulkheads.tryEnter(job.appId(), payload.provider(), job.lane().key());
      if (slot.isEmpty()) return new JobResult.Postpone(PROVIDER_BUSY_WAIT);
      try (Bulkheads.Slot held = slot.get()) {
        outcomes = sender.get().send(messages);
      }
    }
    if (outcomes.size() != messages.size()) {
      throw new IllegalStateException(
          "sender answered " + outcomes.size() + " outcomes for " + messages.size() + " messages");
    }
    boolean receipts = sender.get().receipts().isPresent();
    return record(job, n.get(), payload, sendable, outcomes, inactive, receipts);
  }

  private JobResult record(
      Job job,
      Notification n,
      DeliveryJob payload,
      List<Delivery> sent,
      List<SendOutcome> outcomes,
      List<Delivery> inactive,
      boolean receipts) {
    List<String> retryIds = new ArrayList<>();
    String retryReason = null;
    Duration retryAfter = null;
    String misconfigured = null;
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) instanceof SendOutcome.Misconfigured m) misconfigured = m.reason();
      if (outcomes.get(i) instanceof SendOutcome.Retry r) {
        retryIds.add(sent.get(i).id());
        retryReason = r.reason();
        if (r.after() != null && (retryAfter == null || r.after().compareTo(retryAfter) > 0))
          retryAfter = r.after();
      }
    }
    String reason = retryReason;
    TxAction effects =
        tx -> {
          Delta delta = skip(tx, inactive, "device_inactive");
          delta = delta.plus(apply(tx, n, sent, outcomes));
          deliveries.countAttempt(tx, retryIds, reason, clock.millis());
          if (receipts) checkReceiptsLater(tx, job, payload, sent, outcomes);
          settle(tx, n, delta);
        };
    // Refused credentials fail every message alike: bury the batch with the reason, keep tokens.
    if (misconfigured != null)
      return new JobResult.Dead("provider misconfigured: " + misconfigured, effects);
    if (retryIds.isEmpty()) return new JobResult.Done(effects);
    String narrowed = Json.write(new DeliveryJob(payload.channel(), payload.provider(), retryIds));
    return new JobResult.Retry(retryReason, retryAfter, narrowed, effects);
  }

  /** Applies accepted and rejected outcomes; answers the counter change. */
  private Delta apply(Tx tx, Notification n, List<Delivery> sent, List<SendOutcome> outcomes) {
    long now = clock.millis();
    long accepted = 0;
    long rejected = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      Delivery d = sent.get(i);
      switch (outcomes.get(i)) {
        case SendOutcome.Accepted a -> {
          if (deliveries.markSent(tx, d.id(), a.providerMessageId(), now)) accepted++;
        }
        case SendOutcome.Rejected r -> {
          rejected +=
              deliveries
                  .move(tx, List.of(d.id()), "pending", "failed", r.reason(), true, now)
                  .size();
          if (r.tokenInvalid() && d.deviceId() != null) {
            lifecycle.deactivate(tx, n.appId(), d.deviceId(), r.reason());
          }
        }
        case SendOutcome.Retry r -> {
          // counted by the caller; stays pending
        }
        case SendOutcome.Misconfigured m -> {
          // stays pending; the whole batch is dead-lettered by the caller
        }
      }
    }
    long ok = accepted;
    long bad = rejected;
    String channel = sent.isEmpty() ? null : sent.getFirst().channel();
    String provider = sent.isEmpty() ? null : sent.getFirst().provider();
    // An escalation step's deliveries are measured from when the step came due.
    double latency = Math.max(0, now - FanOut.startOf(n) - n.send().delayOf(channel)) / 1000.0;
    tx.afterCommit(
        () -> {
          if (ok > 0) observer.outcome(channel, provider, "sent", ok);
          if (bad > 0) observer.outcome(channel, provider, "failed", bad);
          if (ok + bad > 0) observer.latency(n.lane(), latency, ok + bad);
        });
    return new Delta(0, -(accepted + rejected), accepted, 0, rejected, 0, 0);
  }

  /** Asks for the accepted messages' receipts after the receipt delay (Expo). */
  private void checkReceiptsLater(
      Tx tx, Job job, DeliveryJob payload, List<Delivery> sent, List<SendOutcome> outcomes) {
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) instanceof SendOutcome.Accepted) accepted.add(sent.get(i).id());
    }
    if (accepted.isEmpty()) return;
    String body = Json.write(new DeliveryJob(payload.channel(), payload.provider(), accepted));
    queue.enqueue(
        tx,
        List.of(
            new NewJob(
                job.lane(),
                ReceiptsHandler.KIND,
                job.appId(),
                job.notificationId(),
                body,
                clock.millis() + receiptDelay.toMillis())));
  }

  private Delta skip(Tx tx, List<Delivery> rows, String reason) {
    long n =
        deliveries
            .move(
                tx,
                rows.stream().map(Delivery::id).toList(),
                "pending",
                "skipped",
                reason,
                false,
                clock.millis())
            .size();
    return new Delta(0, -n, 0, 0, 0, n, 0);
  }

  private void settle(Tx tx, Notification n, Delta delta) {
    long now = clock.millis();
    notifications.apply(tx, n.id(), delta, now);
    notifications
        .settleIfDone(tx, n.id(), now)
        .ifPresent(s -> tx.afterCommit(() -> observer.notificationFinished(s)));
  }

  @Override
  public void onDeadLetter(Tx tx, Job job, String error) throws Exception {
    DeliveryJob payload = Json.MAPPER.readValue(job.payload(), DeliveryJob.class);
    long now = clock.millis();
    long n = deliveries.move(tx, payload.deliveries(), "pending", "dead", error, false, now).size();
    Optional<Notification> notification =
        notifications.find(tx.handle(), job.appId(), job.notificationId());
    if (notification.isPresent()) settle(tx, notification.get(), new Delta(0, -n, 0, 0, n, 0, 0));
    if (n > 0)
      tx.afterCommit(() -> observer.outcome(payload.channel(), payload.provider(), "dead", n));
  }

  @Override
  public void onRedrive(Tx tx, Job job) throws Exception {
    DeliveryJob payload = Json.MAPPER.readValue(job.payload(), DeliveryJob.class);
    long now = clock.millis();
    long n = deliveries.move(tx, payload.deliveries(), "dead", "pending", null, false, now).size();
    notifications.reopen(tx, job.notificationId(), now);
    notifications.apply(tx, job.notificationId(), new Delta(0, n, 0, 0, -n, 0, 0), now);
  }

  private static Message message(
      Notification n, Delivery d, Device device, Content content, int attempt) {
    String address = device != null ? device.token() : d.address();
    Map<String, String> keys =
        device != null && device.p256dh() != null
            ? Map.of("p256dh", device.p256dh(), "auth", device.auth())
            : Map.of();
    return new Message(
        d.id(),
        n.id(),
        n.appId(),
        d.subscriberId(),
        d.channel(),
        d.provider(),
        d.deviceId(),
        address,
        keys,
        content,
        Lane.of(n.lane()),
        n.send().ttlSeconds(),
        n.send().collapseKey(),
        attempt,
        n.category());
  }
}
