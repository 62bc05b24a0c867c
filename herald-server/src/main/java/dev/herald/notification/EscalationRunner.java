package dev.herald.notification;

import dev.herald.delivery.Delivery;
import dev.herald.notification.EscalationRepository.Recipient;
import dev.herald.notification.EscalationRepository.StepRow;
import dev.herald.notification.FanOutPlanner.Plan;
import dev.herald.queue.Job;
import dev.herald.queue.JobHandler;
import dev.herald.queue.JobResult;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs {@code escalate} jobs: one delayed step of a notification, once it is due and the
 * notification's fan-out is done. It pages through the notification's in-app recipients in key
 * order; each page is planned for the step's channel like any send (devices, addresses, providers),
 * and, for an {@code unless: read} step, the rows of recipients who have read the item are written
 * canceled with reason {@code read} instead. Rows, counters, send jobs and the cursor commit
 * together, so a crash resumes at the last committed page and a repeated page writes nothing twice
 * (deliveries are unique per notification, channel and recipient).
 */
public final class EscalationRunner implements JobHandler {
  public static final String KIND = "escalate";
  // How soon a step that came due before its notification's fan-out finished looks again.
  static final Duration FANOUT_WAIT = Duration.ofSeconds(2);

  private final Database db;
  private final NotificationRepository notifications;
  private final Escalations escalations;
  private final EscalationRepository steps;
  private final FanOut fanOut;
  private final WorkQueue queue;
  private final Clock clock;
  private final Duration lease;
  private final int pageSize;

  public EscalationRunner(
      Database db,
      NotificationRepository notifications,
      Escalations escalations,
      FanOut fanOut,
      WorkQueue queue,
      Clock clock,
      Duration lease,
      int pageSize) {
    this.db = db;
    this.notifications = notifications;
    this.escalations = escalations;
    this.steps = escalations.steps();
    this.fanOut = fanOut;
    this.queue = queue;
    this.clock = clock;
    this.lease = lease;
    this.pageSize = pageSize;
  }

  @Override
  public JobResult handle(Job job) throws Exception {
    int index = stepOf(job);
    Optional<Notification> found = notifications.find(job.appId(), job.notificationId());
    if (found.isEmpty()) return JobResult.done();
    Notification n = found.get();
    Optional<StepRow> step = db.read(h -> steps.find(h, n.id(), index));
    if (step.isEmpty() || !step.get().state().equals(EscalationRepository.SCHEDULED)) {
      return JobResult.done();
    }
    if (!n.fanoutDone()) {
      if (!n.status().equals(NotificationStatus.FAILED)) return new JobResult.Postpone(FANOUT_WAIT);
      // Its fan-out was dead-lettered: nobody received the first step, so nobody gets this one.
      return new JobResult.Done(tx -> fail(tx, n.id(), index));
    }
    run(n, step.get(), job.id());
    return JobResult.done();
  }

  private void run(Notification n, StepRow step, long jobId) {
    String cursor = step.cursor() == null ? "" : step.cursor();
    while (true) {
      String from = cursor;
      List<Recipient> page = db.read(h -> steps.recipients(h, n.id(), from, pageSize));
      List<String> subscribers = page.stream().map(Recipient::subscriberId).toList();
      boolean last = page.size() < pageSize;
      String next = page.isEmpty() ? from : page.getLast().key();
      Notification forStep = n.withSend(n.send().forStep(step.channel(), subscribers));
      Plan plan = subscribers.isEmpty() ? null : fanOut.planAll(forStep);
      if (!db.write(tx -> commitPage(tx, forStep, step, subscribers, plan, next, last, jobId))
          || last) {
        return;
      }
      cursor = next;
    }
  }

  /** Answers false when the notification was canceled meanwhile (nothing is written). */
  private boolean commitPage(
      Tx tx,
      Notification n,
      StepRow step,
      List<String> subscribers,
      Plan plan,
      String next,
      boolean last,
      long jobId) {
    if (notifications.status(tx.handle(), n.id()).equals(NotificationStatus.CANCELED)) return false;
    long now = clock.millis();
    long canceled = 0;
    if (plan != null) {
      // Decided in this transaction, so a read committed just before is seen.
      Set<String> read = step.unlessRead() ? steps.readers(tx, n.id(), subscribers) : Set.of();
      List<Delivery> rows = new ArrayList<>(plan.deliveries().size());
      for (Delivery d : plan.deliveries()) {
        boolean wasRead = read.contains(d.subscriberId());
        rows.add(wasRead ? canceledByRead(d, now) : d);
        if (wasRead) canceled++;
      }
      fanOut.write(tx, n, plan.withDeliveries(rows));
    }
    steps.checkpoint(tx, n.id(), step.step(), next, subscribers.size(), canceled, last, now);
    if (jobId > 0) queue.extendLease(tx, jobId, now + lease.toMillis());
    if (last) escalations.settle(tx, n.id(), now);
    return true;
  }

  private static Delivery canceledByRead(Delivery d, long now) {
    return new Delivery(
        d.id(),
        d.appId(),
        d.notificationId(),
        d.recipientKey(),
        d.subscriberId(),
        d.channel(),
        d.provider(),
        d.deviceId(),
        d.address(),
        "canceled",
        "read",
        0,
        null,
        d.createdAt(),
        now);
  }

  /**
   * A step that keeps failing is given up so its notification can settle; re-driving resumes it.
   */
  @Override
  public void onDeadLetter(Tx tx, Job job, String error) throws Exception {
    fail(tx, job.notificationId(), stepOf(job));
  }

  @Override
  public void onRedrive(Tx tx, Job job) throws Exception {
    int index = stepOf(job);
    long now = clock.millis();
    steps.move(
        tx,
        job.notificationId(),
        index,
        EscalationRepository.FAILED,
        EscalationRepository.SCHEDULED,
        now);
    notifications.reopen(tx, job.notificationId(), now);
  }

  private void fail(Tx tx, String notificationId, int index) {
    long now = clock.millis();
    steps.move(
        tx,
        notificationId,
        index,
        EscalationRepository.SCHEDULED,
        EscalationRepository.FAILED,
        now);
    escalations.settle(tx, notificationId, now);
  }

  private static int stepOf(Job job) {
    return Json.MAPPER.readValue(job.payload(), Escalations.Payload.class).step();
  }
}
