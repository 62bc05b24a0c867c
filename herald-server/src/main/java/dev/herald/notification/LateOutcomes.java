package dev.herald.notification;

import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryObserver;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.Receipt;
import dev.herald.device.DeviceLifecycle;
import dev.herald.notification.NotificationRepository.Delta;
import dev.herald.store.Tx;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * What a provider reports after it accepted messages (Expo's receipts, Twilio's status callbacks):
 * moves sent deliveries to delivered or failed, deactivates devices reported gone, and corrects the
 * notification's counts and final status. A delivery that is no longer sent (already moved by an
 * earlier report) is left alone, so a report counts once.
 */
public final class LateOutcomes {
  private final NotificationRepository notifications;
  private final DeliveryRepository deliveries;
  private final DeviceLifecycle lifecycle;
  private final Clock clock;
  private final DeliveryObserver observer;

  public LateOutcomes(
      NotificationRepository notifications,
      DeliveryRepository deliveries,
      DeviceLifecycle lifecycle,
      Clock clock,
      DeliveryObserver observer) {
    this.notifications = notifications;
    this.deliveries = deliveries;
    this.lifecycle = lifecycle;
    this.clock = clock;
    this.observer = observer;
  }

  /** Applies receipts for deliveries of one notification, sent through one channel and provider. */
  public void apply(Tx tx, String appId, String notificationId, Map<Delivery, Receipt> receipts) {
    if (receipts.isEmpty()) return;
    long now = clock.millis();
    long delivered = 0;
    long failed = 0;
    for (Map.Entry<Delivery, Receipt> e : receipts.entrySet()) {
      Delivery d = e.getKey();
      switch (e.getValue()) {
        case Receipt.Delivered ok ->
            delivered +=
                deliveries.move(tx, List.of(d.id()), "sent", "delivered", null, false, now).size();
        case Receipt.TokenInvalid t -> {
          failed +=
              deliveries.move(tx, List.of(d.id()), "sent", "failed", t.reason(), false, now).size();
          if (d.deviceId() != null) lifecycle.deactivate(tx, appId, d.deviceId(), t.reason());
        }
        case Receipt.Failed f ->
            failed +=
                deliveries
                    .move(tx, List.of(d.id()), "sent", "failed", f.reason(), false, now)
                    .size();
      }
    }
    if (delivered + failed == 0) return;
    notifications.apply(
        tx, notificationId, new Delta(0, 0, -(delivered + failed), delivered, failed, 0, 0), now);
    notifications.resettle(tx, notificationId, now);
    Delivery any = receipts.keySet().iterator().next();
    long d1 = delivered;
    long f1 = failed;
    tx.afterCommit(
        () -> {
          if (d1 > 0) observer.outcome(any.channel(), any.provider(), "delivered", d1);
          if (f1 > 0) observer.outcome(any.channel(), any.provider(), "failed", f1);
        });
  }
}
