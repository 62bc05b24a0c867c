package dev.herald.notification;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryJob;
import dev.herald.delivery.DeliveryObserver;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.DeliverySender;
import dev.herald.device.Device;
import dev.herald.device.DeviceRepository;
import dev.herald.inbox.InboxItem;
import dev.herald.inbox.InboxRepository;
import dev.herald.notification.NotificationRepository.Delta;
import dev.herald.queue.Job;
import dev.herald.queue.JobHandler;
import dev.herald.queue.JobResult;
import dev.herald.queue.Lane;
import dev.herald.queue.NewJob;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.store.Tx;
import dev.herald.subscriber.Subscriber;
import dev.herald.subscriber.SubscriberRepository;
import dev.herald.web.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Fan-out as a resumable job: the audience is read in keyset pages; each page's deliveries, inbox
 * items and send jobs are written in one transaction together with the cursor, so a crash resumes
 * at the last committed page and repeats nothing (deliveries and inbox items are unique per
 * recipient).
 */
public final class FanOut implements JobHandler {
  public static final String KIND = "fanout";
  static final int PAGE_SIZE = 1_000;
  static final String START = "";

  private final Database db;
  private final NotificationRepository notifications;
  private final DeliveryRepository deliveries;
  private final InboxRepository inbox;
  private final SubscriberRepository subscribers;
  private final DeviceRepository devices;
  private final ChannelSenders senders;
  private final WorkQueue queue;
  private final Clock clock;
  private final Duration lease;
  private final DeliveryObserver observer;
  private final Ids ids;
  private final int pageSize;

  public FanOut(
      Database db,
      NotificationRepository notifications,
      DeliveryRepository deliveries,
      InboxRepository inbox,
      SubscriberRepository subscribers,
      DeviceRepository devices,
      ChannelSenders senders,
      WorkQueue queue,
      Clock clock,
      Duration lease,
      DeliveryObserver observer,
      int pageSize) {
    this.db = db;
    this.notifications = notifications;
    this.deliveries = deliveries;
    this.inbox = inbox;
    this.subscribers = subscribers;
    this.devices = devices;
    this.senders = senders;
    this.queue = queue;
    this.clock = clock;
    this.lease = lease;
    this.observer = observer;
    this.ids = new Ids(clock);
    this.pageSize = pageSize;
  }

  /** One page's rows, planned from reads, before they are committed. */
  record Plan(
      List<Delivery> deliveries,
      List<InboxItem> items,
      String nextCursor,
      int recipients,
      boolean last) {}

  @Override
  public JobResult handle(Job job) {
    run(job.appId(), job.notificationId(), job.id(), true);
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

  /** Plans every page without writing anything: what a dry run reports. */
  void simulate(Notification n, java.util.function.Consumer<Plan> each) {
    String cursor = null;
    while (true) {
      Plan plan = plan(n, cursor);
      each.accept(plan);
      if (plan.last()) return;
      cursor = plan.nextCursor();
    }
  }

  /** Runs every remaining page; answers the send jobs it created when {@code enqueue} is false. */
  List<NewJob> run(String appId, String notificationId, long jobId, boolean enqueue) {
    List<NewJob> created = new ArrayList<>();
    Optional<Notification> found = notifications.find(appId, notificationId);
    if (found.isEmpty()
        || found.get().fanoutDone()
        || found.get().status().equals(NotificationStatus.CANCELED)) {
      return created;
    }
    Notification n = found.get();
    String cursor = n.fanoutCursor();
    while (true) {
      Plan plan = plan(n, cursor);
      Optional<List<NewJob>> committed = db.write(tx -> commitPage(tx, n, plan, jobId, enqueue));
      if (committed.isEmpty()) return created;
      created.addAll(committed.get());
      if (plan.last()) return created;
      cursor = plan.nextCursor();
    }
  }

  private Plan plan(Notification n, String cursor) {
    return db.read(h -> plan(h, n, cursor));
  }

  private Plan plan(Handle h, Notification n, String cursor) {
    Send send = n.send();
    List<Delivery> rows = new ArrayList<>();
    if (cursor == null) {
      planExplicitDevices(h, n, rows);
      planTokens(n, rows);
    }
    String after = cursor == null ? START : cursor;
    boolean bySubscriber = !send.audience().subscribers().isEmpty() || send.audience().selectsBeyondList();
    if (!bySubscriber) return new Plan(rows, List.of(), START, 0, true);
    List<String> page = AudienceQuery.page(h, db.dialect(), n.appId(), send.audience(), after, pageSize);
    List<InboxItem> items = new ArrayList<>();
    planSubscribers(h, n, page, rows, items);
    boolean last = page.size() < pageSize;
    return new Plan(rows, items, page.isEmpty() ? after : page.getLast(), page.size(), last);
  }

  /**
   * Fans out an explicitly listed audience inside the transaction that accepts it, so small sends
   * need no fan-out job at all. Answers the send jobs, enqueued unless {@code enqueue} is false.
   */
  List<NewJob> runInTransaction(Tx tx, Notification n, boolean enqueue) {
    List<NewJob> jobs = new ArrayList<>();
    String cursor = null;
    while (true) {
      Plan plan = plan(tx.handle(), n, cursor);
      jobs.addAll(commitPage(tx, n, plan, -1, enqueue).orElseThrow());
      if (plan.last()) return jobs;
      cursor = plan.nextCursor();
    }
  }

  /** In-app rows for explicitly listed subscribers, written when the send is accepted. */
  Plan planInline(Notification n, List<String> subscriberIds) {
    List<Delivery> rows = new ArrayList<>();
    List<InboxItem> items = new ArrayList<>();
    for (String sid : subscriberIds) inApp(n, sid, rows, items);
    return new Plan(rows, items, null, 0, false);
  }

  private void planSubscribers(
      Handle h,
      Notification n,
      List<String> page,
      List<Delivery> rows,
      List<InboxItem> items) {
    Send send = n.send();
    Map<String, Subscriber> profiles =
        send.hasChannel("email") || send.hasChannel("sms")
            ? subscribers.findAll(h, n.appId(), page).stream()
                .collect(Collectors.toMap(Subscriber::id, Function.identity()))
            : Map.of();
    Map<String, List<Device>> byOwner =
        send.hasChannel("push")
            ? devices.activeFor(h, n.appId(), page).stream()
                .filter(d -> platformAllowed(send, d))
                .collect(
                    Collectors.groupingBy(
                        Device::subscriberId, LinkedHashMap::new, Collectors.toList()))
            : Map.of();
    for (String sid : page) {
      for (String channel : send.channels()) {
        switch (channel) {
          case "in_app" -> inApp(n, sid, rows, items);
          case "push" -> {
            List<Device> owned = byOwner.getOrDefault(sid, List.of());
            if (owned.isEmpty())
              rows.add(row(n, "s:" + sid, sid, "push", null, null, null, "skipped", "no_device"));
            for (Device d : owned) rows.add(push(n, d));
          }
          case "email" ->
              rows.add(
                  addressed(
                      n,
                      sid,
                      "email",
                      "smtp",
                      Optional.ofNullable(profiles.get(sid)).map(Subscriber::email).orElse(null)));
          case "sms" ->
              rows.add(
                  addressed(
                      n,
                      sid,
                      "sms",
                      "sms",
                      Optional.ofNullable(profiles.get(sid)).map(Subscriber::phone).orElse(null)));
          default -> throw new IllegalStateException("unknown channel " + channel);
        }
      }
    }
  }

  private void planExplicitDevices(Handle h, Notification n, List<Delivery> rows) {
    for (Device d : devices.findAll(h, n.appId(), n.send().audience().devices())) {
      if (!platformAllowed(n.send(), d)) continue;
      rows.add(
          d.active()
              ? push(n, d)
              : row(
                  n,
                  "d:" + d.id(),
                  d.subscriberId(),
                  "push",
                  d.provider(),
                  d.id(),
                  null,
                  "skipped",
                  "device_inactive"));
    }
  }

  private void planTokens(Notification n, List<Delivery> rows) {
    for (Send.Token t : n.send().audience().tokens()) {
      rows.add(
          row(
              n,
              "t:" + t.provider() + ":" + t.token(),
              null,
              "push",
              t.provider(),
              null,
              t.token(),
              pendingOrSkipped(n, "push", t.provider()),
              reason(n, "push", t.provider())));
    }
  }

  private void inApp(Notification n, String sid, List<Delivery> rows, List<InboxItem> items) {
    rows.add(row(n, "s:" + sid, sid, "in_app", "inbox", null, null, "sent", null));
    var c = n.send().content();
    items.add(
        new InboxItem(
            ids.next(),
            n.appId(),
            sid,
            n.id(),
            c.title(),
            c.body(),
            c.data().isEmpty() ? null : Json.write(c.data()),
            c.url(),
            c.image(),
            n.category(),
            null,
            null,
            clock.millis(),
            null));
  }

  private Delivery push(Notification n, Device d) {
    return row(
        n,
        "d:" + d.id(),
        d.subscriberId(),
        "push",
        d.provider(),
        d.id(),
        null,
        pendingOrSkipped(n, "push", d.provider()),
        reason(n, "push", d.provider()));
  }

  private Delivery addressed(
      Notification n, String sid, String channel, String provider, String address) {
    if (address == null)
      return row(n, "s:" + sid, sid, channel, provider, null, null, "skipped", "no_address");
    return row(
        n,
        "s:" + sid,
        sid,
        channel,
        provider,
        null,
        address,
        pendingOrSkipped(n, channel, provider),
        reason(n, channel, provider));
  }

  private String pendingOrSkipped(Notification n, String channel, String provider) {
    return senders.find(n.appId(), channel, provider).isPresent() ? "pending" : "skipped";
  }

  private String reason(Notification n, String channel, String provider) {
    return senders.find(n.appId(), channel, provider).isPresent()
        ? null
        : "provider_not_configured";
  }

  private Delivery row(
      Notification n,
      String key,
      String sid,
      String channel,
      String provider,
      String deviceId,
      String address,
      String status,
      String reason) {
    long now = clock.millis();
    return new Delivery(
        ids.next(),
        n.appId(),
        n.id(),
        key,
        sid,
        channel,
        provider,
        deviceId,
        address,
        status,
        reason,
        0,
        null,
        now,
        now);
  }

  private static boolean platformAllowed(Send send, Device d) {
    return send.platforms().isEmpty()
        || (d.platform() != null && send.platforms().contains(d.platform()));
  }

  /**
   * Commits one page: rows, counters, send jobs and the cursor together. Answers empty if the
   * notification was canceled meanwhile.
   */
  private Optional<List<NewJob>> commitPage(
      Tx tx, Notification n, Plan plan, long jobId, boolean enqueue) {
    String status = notifications.status(tx.handle(), n.id());
    if (status.equals(NotificationStatus.CANCELED)) return Optional.empty();
    long now = clock.millis();
    notifications.moveStatus(
        tx,
        n.id(),
        List.of(NotificationStatus.SCHEDULED, NotificationStatus.QUEUED),
        NotificationStatus.PROCESSING,
        now);
    List<NewJob> jobs = commitRows(tx, n, plan.deliveries(), plan.items(), enqueue);
    notifications.checkpoint(tx, n.id(), plan.nextCursor(), plan.recipients(), plan.last(), now);
    if (jobId > 0) queue.extendLease(tx, jobId, now + lease.toMillis());
    if (plan.last()) {
      notifications
          .settleIfDone(tx, n.id(), now)
          .ifPresent(s -> tx.afterCommit(() -> observer.notificationFinished(s)));
    }
    return Optional.of(jobs);
  }

  /** Writes deliveries and inbox items, counts what was new, and creates send jobs for it. */
  List<NewJob> commitRows(
      Tx tx, Notification n, List<Delivery> rows, List<InboxItem> items, boolean enqueue) {
    List<Delivery> inserted = deliveries.insertNew(tx, rows);
    inbox.insertNew(tx, items);
    long pending = 0, sent = 0, skipped = 0;
    Map<String, List<String>> toSend = new LinkedHashMap<>();
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (Delivery d : inserted) {
      switch (d.status()) {
        case "pending" -> {
          pending++;
          toSend
              .computeIfAbsent(d.channel() + "/" + d.provider(), k -> new ArrayList<>())
              .add(d.id());
        }
        case "sent" -> sent++;
        default -> skipped++;
      }
      if (!d.status().equals("pending"))
        outcomes.merge(d.channel() + "/" + d.provider() + "/" + d.status(), 1L, Long::sum);
    }
    notifications.apply(
        tx, n.id(), new Delta(inserted.size(), pending, sent, 0, 0, skipped, 0), clock.millis());
    List<NewJob> jobs = new ArrayList<>();
    Lane lane = Lane.of(n.lane());
    for (Map.Entry<String, List<String>> e : toSend.entrySet()) {
      String[] cp = e.getKey().split("/", 2);
      DeliverySender sender = senders.find(n.appId(), cp[0], cp[1]).orElseThrow();
      List<String> all = e.getValue();
      for (int i = 0; i < all.size(); i += sender.batchSize()) {
        List<String> chunk = all.subList(i, Math.min(all.size(), i + sender.batchSize()));
        String payload = Json.write(new DeliveryJob(cp[0], cp[1], List.copyOf(chunk)));
        jobs.add(new NewJob(lane, DeliveryJob.KIND, n.appId(), n.id(), payload, clock.millis()));
      }
    }
    if (enqueue) queue.enqueue(tx, jobs);
    double latency = Math.max(0, clock.millis() - startOf(n)) / 1000.0;
    long inApp = sent;
    tx.afterCommit(
        () -> {
          outcomes.forEach(
              (k, count) -> {
                String[] parts = k.split("/", 3);
                observer.outcome(
                    parts[0], parts[1].equals("null") ? "none" : parts[1], parts[2], count);
              });
          if (inApp > 0) observer.latency(n.lane(), latency, inApp);
        });
    return jobs;
  }

  static long startOf(Notification n) {
    return n.sendAt() != null ? Math.max(n.sendAt(), n.createdAt()) : n.createdAt();
  }
}
