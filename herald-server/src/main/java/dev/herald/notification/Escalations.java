package dev.herald.notification;

import dev.herald.config.Durations;
import dev.herald.delivery.DeliveryObserver;
import dev.herald.inbox.ReadListener;
import dev.herald.notification.EscalationRepository.CanceledOnRead;
import dev.herald.notification.EscalationRepository.StepRow;
import dev.herald.notification.NotificationRepository.Delta;
import dev.herald.queue.Lane;
import dev.herald.queue.NewJob;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.store.Tx;
import dev.herald.web.Json;
import dev.herald.web.Times;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read-aware escalation around a notification's life: its delayed steps are scheduled when it is
 * accepted and canceled with it; a subscriber's read cancels the still-pending deliveries of its
 * {@code unless: read} steps at once (steps that have not run yet skip the subscriber when they
 * do); and its view shows each step's state. {@link EscalationRunner} runs the steps.
 */
public final class Escalations implements ReadListener {
  private final Database db;
  private final NotificationRepository notifications;
  private final EscalationRepository steps = new EscalationRepository();
  private final WorkQueue queue;
  private final Clock clock;
  private final DeliveryObserver observer;

  public Escalations(
      Database db,
      NotificationRepository notifications,
      WorkQueue queue,
      Clock clock,
      DeliveryObserver observer) {
    this.db = db;
    this.notifications = notifications;
    this.queue = queue;
    this.clock = clock;
    this.observer = observer;
  }

  EscalationRepository steps() {
    return steps;
  }

  /** The step an escalate job runs. */
  record Payload(int step) {}

  /**
   * Adds a new notification's delayed steps and one job each, due at the send (acceptance, or
   * send_at) plus the step's delay; in the accepting transaction.
   */
  void schedule(Tx tx, Notification n) {
    if (!n.send().escalates()) return;
    List<StepRow> rows = EscalationRepository.rowsFor(n, FanOut.startOf(n));
    steps.insert(tx, rows);
    List<NewJob> jobs = new ArrayList<>();
    for (StepRow s : rows) {
      jobs.add(
          new NewJob(
              Lane.of(n.lane()),
              EscalationRunner.KIND,
              n.appId(),
              n.id(),
              Json.write(new Payload(s.step())),
              s.dueAt()));
    }
    queue.enqueue(tx, jobs);
  }

  /** Cancels the steps still waiting; their jobs go with the notification's. */
  void cancel(Tx tx, String notificationId, long now) {
    steps.move(
        tx,
        notificationId,
        null,
        EscalationRepository.SCHEDULED,
        EscalationRepository.CANCELED,
        now);
  }

  /**
   * The subscriber read these notifications' items: their read-aware steps' deliveries still
   * pending for the subscriber (sent by a step whose send job has not run) are canceled with reason
   * {@code read}. Costs one indexed lookup for notifications without such steps.
   */
  @Override
  public void read(Tx tx, String appId, String subscriberId, List<String> notificationIds) {
    Map<String, Set<String>> watched = steps.readAwareChannels(tx.handle(), notificationIds);
    if (watched.isEmpty()) return;
    Set<String> channels = new HashSet<>();
    watched.values().forEach(channels::addAll);
    List<String> keys = new ArrayList<>(List.of("s:" + subscriberId));
    if (channels.contains("push")) {
      steps.devicesOf(tx.handle(), appId, subscriberId).forEach(d -> keys.add("d:" + d));
    }
    long now = clock.millis();
    List<CanceledOnRead> canceled =
        steps.cancelPendingOnRead(tx, watched.keySet(), channels, keys, subscriberId, now);
    Map<String, Map<String, Long>> byNotification = new LinkedHashMap<>();
    for (CanceledOnRead c : canceled) {
      byNotification
          .computeIfAbsent(c.notificationId(), k -> new LinkedHashMap<>())
          .merge(c.channel(), 1L, Long::sum);
    }
    byNotification.forEach(
        (id, perChannel) -> {
          long k = perChannel.values().stream().mapToLong(Long::longValue).sum();
          perChannel.forEach((channel, count) -> steps.addCanceledByRead(tx, id, channel, count));
          notifications.apply(tx, id, new Delta(0, -k, 0, 0, 0, 0, k), now);
          settle(tx, id, now);
        });
  }

  /** Settles the notification if nothing is left to do, and tells the observer. */
  void settle(Tx tx, String notificationId, long now) {
    notifications
        .settleIfDone(tx, notificationId, now)
        .ifPresent(s -> tx.afterCommit(() -> observer.notificationFinished(s)));
  }

  /**
   * Every step with its state: steps at once follow the fan-out; delayed steps are {@code
   * scheduled}, {@code running}, {@code done}, {@code canceled} or {@code failed}. Null without
   * escalation.
   */
  List<Map<String, Object>> view(Notification n) {
    List<Send.Step> all = n.send().escalation();
    if (all.isEmpty()) return null;
    Map<Integer, StepRow> stored = new LinkedHashMap<>();
    if (n.send().escalates())
      db.read(h -> steps.of(h, n.id())).forEach(s -> stored.put(s.step(), s));
    long start = FanOut.startOf(n);
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      StepRow row = stored.get(i);
      Map<String, Object> m = describe(all.get(i), start);
      m.put("state", row != null ? state(row) : immediateState(n));
      if (row != null) {
        m.put("recipients_processed", row.recipients());
        m.put("canceled_by_read", row.canceledByRead());
        m.put("finished_at", Times.iso(row.finishedAt()));
      }
      out.add(m);
    }
    return out;
  }

  /**
   * A dry run of an escalating send counts every step's deliveries as if nobody read the in-app
   * item (the most it could send) and lists the steps with the times they would be due.
   */
  static Map<String, Object> dryRun(FanOut fanOut, String appId, Send send, long now) {
    if (send.escalation().isEmpty()) return DryRun.run(fanOut, appId, send, now);
    Map<String, Object> body = DryRun.run(fanOut, appId, send.everyStep(), now);
    long start = send.sendAt() != null ? send.sendAt() : now;
    body.put("escalation", send.escalation().stream().map(s -> describe(s, start)).toList());
    return body;
  }

  private static Map<String, Object> describe(Send.Step s, long start) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("channel", s.channel());
    m.put("after", s.delayed() ? Durations.format(Duration.ofMillis(s.afterMs())) : null);
    m.put("unless", s.unless());
    m.put("due_at", Times.iso(start + s.afterMs()));
    return m;
  }

  private static String state(StepRow row) {
    boolean started = row.cursor() != null;
    return row.state().equals(EscalationRepository.SCHEDULED) && started ? "running" : row.state();
  }

  private static String immediateState(Notification n) {
    if (n.fanoutDone()) return "done";
    return switch (n.status()) {
      case NotificationStatus.CANCELED -> "canceled";
      case NotificationStatus.FAILED -> "failed";
      case NotificationStatus.PROCESSING -> "running";
      default -> "scheduled";
    };
  }
}
