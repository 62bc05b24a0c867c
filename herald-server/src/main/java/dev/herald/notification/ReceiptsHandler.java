package dev.herald.notification;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryJob;
import dev.herald.delivery.DeliveryObserver;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.Receipt;
import dev.herald.delivery.ReceiptChecker;
import dev.herald.device.DeviceLifecycle;
import dev.herald.notification.NotificationRepository.Delta;
import dev.herald.queue.Job;
import dev.herald.queue.JobHandler;
import dev.herald.queue.JobResult;
import dev.herald.web.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code receipts} jobs: asks the provider what became of messages it accepted (Expo's
 * receipts) and moves their deliveries from sent to delivered or failed, deactivating devices the
 * provider reports gone. Receipts not ready yet are asked for again later.
 */
public final class ReceiptsHandler implements JobHandler {
  public static final String KIND = "receipts";
  static final Duration ASK_AGAIN = Duration.ofMinutes(15);

  private final NotificationRepository notifications;
  private final DeliveryRepository deliveries;
  private final DeviceLifecycle lifecycle;
  private final ChannelSenders senders;
  private final Clock clock;
  private final DeliveryObserver observer;

  public ReceiptsHandler(NotificationRepository notifications, DeliveryRepository deliveries, DeviceLifecycle lifecycle,
      ChannelSenders senders, Clock clock, DeliveryObserver observer) {
    this.notifications = notifications;
    this.deliveries = deliveries;
    this.lifecycle = lifecycle;
    this.senders = senders;
    this.clock = clock;
    this.observer = observer;
  }

  @Override
  public JobResult handle(Job job) throws Exception {
    DeliveryJob payload = Json.MAPPER.readValue(job.payload(), DeliveryJob.class);
    List<Delivery> sent = deliveries.find(payload.deliveries()).stream()
        .filter(d -> d.status().equals("sent") && d.providerMessageId() != null)
        .toList();
    Optional<ReceiptChecker> checker = senders.find(job.appId(), payload.channel(), payload.provider()).flatMap(s -> s.receipts());
    if (sent.isEmpty() || checker.isEmpty()) return JobResult.done();
    Map<String, Receipt> receipts = checker.get().receipts(sent.stream().map(Delivery::providerMessageId).toList());
    List<String> waiting = new ArrayList<>();
    for (Delivery d : sent) {
      if (!receipts.containsKey(d.providerMessageId())) waiting.add(d.id());
    }
    dev.herald.queue.TxAction effects = tx -> {
      long now = clock.millis();
      long delivered = 0;
      long failed = 0;
      for (Delivery d : sent) {
        Receipt r = receipts.get(d.providerMessageId());
        if (r == null) continue;
        switch (r) {
          case Receipt.Delivered ok -> delivered += deliveries.move(tx, List.of(d.id()), "sent", "delivered", null, false, now).size();
          case Receipt.TokenInvalid t -> {
            failed += deliveries.move(tx, List.of(d.id()), "sent", "failed", t.reason(), false, now).size();
            if (d.deviceId() != null) lifecycle.deactivate(tx, job.appId(), d.deviceId(), t.reason());
          }
          case Receipt.Failed f -> failed += deliveries.move(tx, List.of(d.id()), "sent", "failed", f.reason(), false, now).size();
        }
      }
      notifications.apply(tx, job.notificationId(), new Delta(0, 0, -(delivered + failed), delivered, failed, 0, 0), now);
      notifications.resettle(tx, job.notificationId(), now);
      long d1 = delivered;
      long f1 = failed;
      tx.afterCommit(() -> {
        if (d1 > 0) observer.outcome(payload.channel(), payload.provider(), "delivered", d1);
        if (f1 > 0) observer.outcome(payload.channel(), payload.provider(), "failed", f1);
      });
    };
    if (waiting.isEmpty()) return new JobResult.Done(effects);
    String again = Json.write(new DeliveryJob(payload.channel(), payload.provider(), waiting));
    return new JobResult.Retry("receipts not ready yet", ASK_AGAIN, again, effects);
  }
}
