package dev.herald.notification;

import dev.herald.delivery.DeliveryObserver;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.device.DeviceRepository;
import dev.herald.notification.Notification.Counts;
import dev.herald.notification.NotificationRepository.Delta;
import dev.herald.queue.Job;
import dev.herald.queue.Lane;
import dev.herald.queue.NewJob;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.subscriber.SubscriberRepository;
import dev.herald.web.ApiException;
import dev.herald.web.ErrorCode;
import dev.herald.web.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Accepting, scheduling and canceling notifications. Acceptance is one transaction, so a 202 means
 * everything is durable. An audience that is only an explicit list is fanned out right there (its
 * deliveries, in-app items and send jobs commit with the notification: no fan-out job); an audience
 * with topics, segments or {@code all} gets a fan-out job, and its explicitly listed subscribers'
 * in-app items are still written at once, so they are readable when the answer arrives.
 */
public final class NotificationService {
  /** Explicit recipients whose in-app items are written during the request beside a fan-out job. */
  static final int INLINE_IN_APP_LIMIT = 1_000;

  private final Database db;
  private final NotificationRepository notifications;
  private final DeliveryRepository deliveries;
  private final SubscriberRepository subscribers;
  private final DeviceRepository devices;
  private final WorkQueue queue;
  private final FanOut fanOut;
  private final Escalations escalations;
  private final Clock clock;
  private final DeliveryObserver observer;
  private final Ids ids;
  private final Duration lease;

  public NotificationService(
      Database db,
      NotificationRepository notifications,
      DeliveryRepository deliveries,
      SubscriberRepository subscribers,
      DeviceRepository devices,
      WorkQueue queue,
      FanOut fanOut,
      Clock clock,
      Duration lease,
      DeliveryObserver observer,
      Escalations escalations) {
    this.db = db;
    this.notifications = notifications;
    this.deliveries = deliveries;
    this.subscribers = subscribers;
    this.devices = devices;
    this.queue = queue;
    this.fanOut = fanOut;
    this.escalations = escalations;
    this.clock = clock;
    this.observer = observer;
    this.ids = new Ids(clock);
    this.lease = lease;
  }

  /**
   * The notification as committed; whether this call created it (false: an idempotent replay); and,
   * for a sync send, its send jobs, leased to the caller to run at once.
   */
  public record Accepted(Notification notification, boolean created, List<Job> leasedSends) {}

  /**
   * Accepts a send, or answers the notification an earlier request with the same Idempotency-Key
   * created. {@code requestedSendAt} is the send_at as the client gave it, even if already past
   * (the send itself then has none): the key's fingerprint is of the request, so a retry that
   * arrives after a scheduled time still replays instead of conflicting.
   */
  public Accepted accept(
      String appId,
      Send send,
      Long requestedSendAt,
      Optional<String> idempotencyKey,
      boolean sync) {
    // The fingerprint only matters for Idempotency-Key replays: skip it on the common path.
    String hash = idempotencyKey.isPresent() ? hash(send.asRequested(requestedSendAt), sync) : null;
    long now = clock.millis();
    String status =
        send.sendAt() != null ? NotificationStatus.SCHEDULED : NotificationStatus.QUEUED;
    Notification n =
        new Notification(
            ids.next(),
            appId,
            status,
            send.lane(),
            send.category(),
            send,
            idempotencyKey.orElse(null),
            hash,
            send.sendAt(),
            null,
            false,
            0,
            new Counts(0, 0, 0, 0, 0, 0, 0),
            now,
            now,
            null);
    // Explicit lists, and sync sends (at most 100 recipients), are fanned out while accepting.
    boolean fanOutNow = send.sendAt() == null && (sync || !send.audience().selectsBeyondList());
    OptionalLong leaseSends = sync ? OptionalLong.of(now + lease.toMillis()) : OptionalLong.empty();
    FanOutPlanner.Plan planned = fanOutNow ? fanOut.planAll(n) : null;
    try {
      return db.write(
          tx -> {
            if (idempotencyKey.isPresent()) {
              Optional<Notification> existing =
                  notifications.byIdempotencyKey(tx.handle(), appId, idempotencyKey.get());
              if (existing.isPresent()) return replay(existing.get(), hash);
            }
            checkDevices(tx.handle(), appId, send);
            List<String> listed = send.audience().subscribers();
            subscribers.ensureExist(tx, appId, listed, now);
            tx.afterCommit(() -> observer.notificationAccepted(send.lane()));
            escalations.schedule(tx, n);
            if (fanOutNow) {
              PlanWriter.Inserted inserted = fanOut.insertFannedOut(tx, n, planned, leaseSends);
              return new Accepted(inserted.notification(), true, inserted.leased());
            }
            notifications.insert(tx, n);
            if (send.sendAt() == null
                && send.hasChannel("in_app")
                && !listed.isEmpty()
                && listed.size() <= INLINE_IN_APP_LIMIT) {
              fanOut.writeInAppNow(tx, n, listed);
            }
            long runAt = send.sendAt() != null ? send.sendAt() : now;
            queue.enqueue(
                tx,
                List.of(new NewJob(Lane.of(send.lane()), FanOut.KIND, appId, n.id(), "{}", runAt)));
            return new Accepted(
                notifications.find(tx.handle(), appId, n.id()).orElseThrow(), true, List.of());
          });
    } catch (RuntimeException e) {
      // Two requests with one key raced on PostgreSQL: the loser answers as a replay.
      if (idempotencyKey.isPresent() && !(e instanceof ApiException)) {
        Optional<Notification> existing =
            db.read(h -> notifications.byIdempotencyKey(h, appId, idempotencyKey.get()));
        if (existing.isPresent()) return replay(existing.get(), hash);
      }
      throw e;
    }
  }

  private static Accepted replay(Notification existing, String hash) {
    if (!existing.requestHash().equals(hash)) {
      throw new ApiException(
          ErrorCode.CONFLICT, "this Idempotency-Key was used with a different request body");
    }
    return new Accepted(existing, false, List.of());
  }

  public Notification cancel(String appId, String id) {
    return db.write(
        tx -> {
          Notification n =
              notifications
                  .find(tx.handle(), appId, id)
                  .orElseThrow(() -> ApiException.notFound("notification"));
          if (!NotificationStatus.CANCELABLE.contains(n.status())) {
            throw new ApiException(ErrorCode.CONFLICT, "the notification is already " + n.status());
          }
          long now = clock.millis();
          notifications.moveStatus(
              tx, id, List.copyOf(NotificationStatus.CANCELABLE), NotificationStatus.CANCELED, now);
          queue.cancel(tx, id);
          escalations.cancel(tx, id, now);
          int canceled = deliveries.cancelPending(tx, id, now);
          notifications.apply(tx, id, new Delta(0, -canceled, 0, 0, 0, 0, canceled), now);
          return notifications.find(tx.handle(), appId, id).orElseThrow();
        });
  }

  private void checkDevices(org.jdbi.v3.core.Handle h, String appId, Send send) {
    List<String> wanted = send.audience().devices();
    if (wanted.isEmpty()) return;
    Set<String> found = new HashSet<>();
    devices.findAll(h, appId, wanted).forEach(d -> found.add(d.id()));
    for (int i = 0; i < wanted.size(); i++) {
      if (!found.contains(wanted.get(i)))
        throw ApiException.invalid("to.devices", "unknown device '" + wanted.get(i) + "'");
    }
  }

  static String hash(Send send, boolean sync) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((Json.write(send) + "|sync=" + sync).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
