package dev.herald.notification;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Content;
import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryObserver;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.device.DeviceRepository;
import dev.herald.inbox.Inbox;
import dev.herald.inbox.InboxItem;
import dev.herald.notification.FanOutPlanner.Plan;
import dev.herald.preference.Preferences;
import dev.herald.queue.Job;
import dev.herald.queue.JobHandler;
import dev.herald.queue.JobResult;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.store.Tx;
import dev.herald.subscriber.SubscriberRepository;
import dev.herald.template.Rendered;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Fan-out as a resumable job: the audience is read in keyset pages; each page's deliveries, inbox
 * items and send jobs are written in one transaction together with the cursor, so a crash resumes
 * at the last committed page and repeats nothing (deliveries and inbox items are unique per
 * recipient).
 */
public final class FanOut implements JobHandler {
  public static final String KIND = "fanout";

  private final Database db;
  private final NotificationRepository notifications;
  private final FanOutPlanner planner;
  private final PlanWriter writer;
  private final WorkQueue queue;
  private final Clock clock;
  private final Duration lease;
  private final DeliveryObserver observer;
  private final RecipientContent contents;
  private final Ids ids;

  FanOut(
      Database db,
      NotificationRepository notifications,
      FanOutPlanner planner,
      PlanWriter writer,
      WorkQueue queue,
      Clock clock,
      Duration lease,
      DeliveryObserver observer,
      RecipientContent contents) {
    this.db = db;
    this.notifications = notifications;
    this.planner = planner;
    this.writer = writer;
    this.queue = queue;
    this.clock = clock;
    this.lease = lease;
    this.observer = observer;
    this.contents = contents;
    this.ids = new Ids(clock);
  }

  /** Fan-out with its planner and writer over the given repositories. */
  public static FanOut create(
      Database db,
      NotificationRepository notifications,
      DeliveryRepository deliveries,
      Inbox inbox,
      SubscriberRepository subscribers,
      DeviceRepository devices,
      ChannelSenders senders,
      Preferences preferences,
      WorkQueue queue,
      Clock clock,
      Duration lease,
      DeliveryObserver observer,
      int pageSize,
      RecipientContent contents) {
    FanOutPlanner planner =
        new FanOutPlanner(
            db.dialect(),
            subscribers,
            devices,
            senders,
            preferences.check(),
            contents,
            clock,
            pageSize);
    PlanWriter writer =
        new PlanWriter(
            notifications,
            deliveries,
            inbox,
            senders,
            preferences.throttling(),
            preferences.digesting(),
            queue,
            clock,
            observer);
    return new FanOut(db, notifications, planner, writer, queue, clock, lease, observer, contents);
  }

  @Override
  public JobResult handle(Job job) {
    run(job.appId(), job.notificationId(), job.id());
    return JobResult.done();
  }

  /** A fan-out that keeps failing fails its notification; re-driving it resumes from the cursor. */
  @Override
  public void onDeadLetter(Tx tx, Job job, String error) {
    List<String> open =
        List.of(
            NotificationStatus.SCHEDULED, NotificationStatus.QUEUED, NotificationStatus.PROCESSING);
    if (notifications.moveStatus(
        tx, job.notificationId(), open, NotificationStatus.FAILED, clock.millis())) {
      notifications.recordSettled(tx, job.appId(), job.notificationId());
      tx.afterCommit(() -> observer.notificationFinished(NotificationStatus.FAILED));
    }
  }

  @Override
  public void onRedrive(Tx tx, Job job) {
    notifications.moveStatus(
        tx,
        job.notificationId(),
        List.of(NotificationStatus.FAILED),
        NotificationStatus.PROCESSING,
        clock.millis());
  }

  /** Runs every remaining page of a notification's fan-out. */
  private void run(String appId, String notificationId, long jobId) {
    Optional<Notification> found = notifications.find(appId, notificationId);
    if (found.isEmpty()
        || found.get().fanoutDone()
        || found.get().status().equals(NotificationStatus.CANCELED)) {
      return;
    }
    Notification n = found.get();
    String cursor = n.fanoutCursor();
    while (true) {
      String from = cursor;
      Plan plan = db.read(h -> planner.page(h, n, from));
      if (!db.write(tx -> commitPage(tx, n, plan, jobId)) || plan.last()) return;
      cursor = plan.nextCursor();
    }
  }

  /**
   * Plans a whole explicitly listed audience from committed state, before the accepting
   * transaction, so the single writer only inserts. A device registered between this read and the
   * commit is not included: it arrived after the send.
   */
  Plan planAll(Notification n) {
    return db.read(
        h -> {
          List<Delivery> rows = new ArrayList<>();
          List<InboxItem> items = new ArrayList<>();
          Map<String, Long> heldUntil = new HashMap<>();
          int recipients = 0;
          String cursor = null;
          while (true) {
            Plan plan = planner.page(h, n, cursor);
            rows.addAll(plan.deliveries());
            items.addAll(plan.items());
            heldUntil.putAll(plan.heldUntil());
            recipients += plan.recipients();
            if (plan.last())
              return new Plan(rows, items, FanOutPlanner.START, recipients, true, heldUntil);
            cursor = plan.nextCursor();
          }
        });
  }

  /**
   * Inserts a new notification already fanned out by {@link #planAll}: no fan-out job is needed.
   * Its send jobs are enqueued, or leased to the caller until {@code leaseSendsUntil}.
   */
  PlanWriter.Inserted insertFannedOut(
      Tx tx, Notification n, Plan all, OptionalLong leaseSendsUntil) {
    return writer.insertFannedOut(tx, n, all, leaseSendsUntil);
  }

  /** Writes the in-app items of explicitly listed subscribers while accepting a larger send. */
  void writeInAppNow(Tx tx, Notification n, List<String> subscriberIds) {
    writer.write(tx, n, planner.inAppOnly(tx.handle(), n, subscriberIds));
  }

  /** Writes planned rows for an existing notification: counters and send jobs included. */
  void write(Tx tx, Notification n, Plan plan) {
    writer.write(tx, n, plan);
  }

  /**
   * Inserts a digest for one subscriber in the caller's transaction: a notification of {@code
   * category} with {@code content}, planned and written at once on {@code channels}. Preferences
   * and quiet hours apply to it; it is neither kept for another digest nor throttled. Answers its
   * id.
   */
  public String insertDigest(
      Tx tx,
      String appId,
      String subscriberId,
      String category,
      String lane,
      List<String> channels,
      Content content,
      int ttlSeconds) {
    Send.Audience to =
        new Send.Audience(List.of(subscriberId), List.of(), List.of(), List.of(), Map.of(), false);
    Send send =
        new Send(
            to,
            channels,
            List.of(),
            lane,
            category,
            content,
            null,
            ttlSeconds,
            null,
            null,
            List.of());
    long now = clock.millis();
    Notification n =
        new Notification(
            ids.next(),
            appId,
            NotificationStatus.QUEUED,
            lane,
            category,
            send,
            null,
            null,
            null,
            null,
            false,
            0,
            new Notification.Counts(0, 0, 0, 0, 0, 0, 0),
            now,
            now,
            null);
    writer.insertFannedOut(
        tx, n, planner.page(tx.handle(), n, null, false), OptionalLong.empty(), false);
    return n.id();
  }

  /** What one recipient of {@code n} would get: a dry run's preview. */
  Rendered preview(Notification n, String subscriberId) {
    return contents.preview(n, subscriberId);
  }

  /** Plans every page without writing anything: what a dry run reports. */
  void simulate(Notification n, Consumer<Plan> each) {
    String cursor = null;
    while (true) {
      String from = cursor;
      Plan plan = db.read(h -> planner.page(h, n, from));
      each.accept(plan);
      if (plan.last()) return;
      cursor = plan.nextCursor();
    }
  }

  /**
   * Commits one page: rows, counters, send jobs and the cursor together. Answers false if the
   * notification was canceled meanwhile.
   */
  private boolean commitPage(Tx tx, Notification n, Plan plan, long jobId) {
    if (notifications.status(tx.handle(), n.id()).equals(NotificationStatus.CANCELED)) return false;
    long now = clock.millis();
    notifications.moveStatus(
        tx,
        n.id(),
        List.of(NotificationStatus.SCHEDULED, NotificationStatus.QUEUED),
        NotificationStatus.PROCESSING,
        now);
    writer.write(tx, n, plan);
    notifications.checkpoint(tx, n.id(), plan.nextCursor(), plan.recipients(), plan.last(), now);
    if (jobId > 0) queue.extendLease(tx, jobId, now + lease.toMillis());
    if (plan.last()) {
      notifications
          .settleIfDone(tx, n.id(), now)
          .ifPresent(s -> tx.afterCommit(() -> observer.notificationFinished(s)));
    }
    return true;
  }

  static long startOf(Notification n) {
    return n.sendAt() != null ? Math.max(n.sendAt(), n.createdAt()) : n.createdAt();
  }
}
