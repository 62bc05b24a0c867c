package dev.herald.engagement;

import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.inbox.Inbox;
import dev.herald.notification.NotificationRepository;
import dev.herald.notification.NotificationRepository.Delta;
import dev.herald.outbox.Outbox;
import dev.herald.store.Ids;
import dev.herald.store.Tx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records what a subscriber did with a notification. Opening or clicking moves its deliveries to
 * {@code opened} (counted as delivered) and marks its in-app item read, which reaches the
 * subscriber's other connections and cancels read-aware follow-ups; a click is also an outbox event
 * ({@code notification.clicked}) for webhooks.
 */
public final class Engagements {
  public static final String CLICKED = "notification.clicked";

  /** Whose engagement with what: a delivery, or a notification of one subscriber. */
  public record Target(
      String appId, String subscriberId, String notificationId, String deliveryId) {}

  public record Recorded(String notificationId, int deliveries) {}

  private final DeliveryRepository deliveries;
  private final NotificationRepository notifications;
  private final Inbox inbox;
  private final Outbox outbox;
  private final Clock clock;
  private final Ids ids;

  public Engagements(
      DeliveryRepository deliveries,
      NotificationRepository notifications,
      Inbox inbox,
      Outbox outbox,
      Clock clock) {
    this.deliveries = deliveries;
    this.notifications = notifications;
    this.inbox = inbox;
    this.outbox = outbox;
    this.clock = clock;
    this.ids = new Ids(clock);
  }

  /** Empty when the target does not exist for that app (and subscriber). */
  public Optional<Recorded> record(Tx tx, Target t, String type) {
    List<Delivery> targeted = targeted(tx, t);
    if (targeted.isEmpty()) return Optional.empty();
    Delivery first = targeted.getFirst();
    String notificationId = first.notificationId();
    String subscriberId = t.subscriberId() != null ? t.subscriberId() : first.subscriberId();
    long now = clock.millis();
    tx.handle()
        .createUpdate(
            "INSERT INTO engagements (id, app_id, notification_id, delivery_id, subscriber_id, type, created_at)"
                + " VALUES (:id, :app, :n, :d, :s, :type, :now)")
        .bind("id", ids.next())
        .bind("app", t.appId())
        .bind("n", notificationId)
        .bind("d", t.deliveryId())
        .bind("s", subscriberId)
        .bind("type", type)
        .bind("now", now)
        .execute();
    if (!type.equals("dismissed")) {
      List<String> ids = targeted.stream().map(Delivery::id).toList();
      long fromSent = deliveries.move(tx, ids, "sent", "opened", null, false, now).size();
      deliveries.move(tx, ids, "delivered", "opened", null, false, now);
      notifications.apply(tx, notificationId, new Delta(0, 0, -fromSent, fromSent, 0, 0, 0), now);
      if (subscriberId != null) {
        inbox
            .items()
            .findByNotification(tx.handle(), t.appId(), subscriberId, notificationId)
            .ifPresent(
                item -> inbox.change(tx, t.appId(), subscriberId, item.id(), Inbox.Change.READ));
      }
    }
    if (type.equals("clicked")) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("notification_id", notificationId);
      data.put("delivery_id", t.deliveryId());
      data.put("subscriber_id", subscriberId);
      data.put("channel", t.deliveryId() == null ? null : first.channel());
      outbox.record(tx, t.appId(), CLICKED, data);
    }
    return Optional.of(new Recorded(notificationId, targeted.size()));
  }

  private List<Delivery> targeted(Tx tx, Target t) {
    if (t.deliveryId() != null) {
      return deliveries.find(tx.handle(), List.of(t.deliveryId())).stream()
          .filter(d -> d.appId().equals(t.appId()))
          .filter(d -> t.subscriberId() == null || t.subscriberId().equals(d.subscriberId()))
          .toList();
    }
    return tx.handle()
        .createQuery(
            "SELECT * FROM deliveries WHERE notification_id = :n AND app_id = :app AND subscriber_id = :s")
        .bind("n", t.notificationId())
        .bind("app", t.appId())
        .bind("s", t.subscriberId())
        .map(DeliveryRepository::map)
        .list();
  }
}
