package dev.herald.digest;

import dev.herald.delivery.Content;
import dev.herald.digest.DigestRepository.Item;
import dev.herald.digest.DigestRepository.Key;
import dev.herald.notification.FanOut;
import dev.herald.notification.Notification;
import dev.herald.notification.NotificationRepository;
import dev.herald.notification.NotificationStatus;
import dev.herald.notification.RecipientContent;
import dev.herald.preference.Digesting;
import dev.herald.queue.Job;
import dev.herald.queue.JobHandler;
import dev.herald.queue.JobResult;
import dev.herald.queue.Lane;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.store.Tx;
import dev.herald.subscriber.Subscriber;
import dev.herald.subscriber.SubscriberRepository;
import dev.herald.template.CompiledTemplate;
import dev.herald.template.Rendered;
import dev.herald.template.Templates;
import dev.herald.web.Json;
import dev.herald.web.Times;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Runs digest sweeps: when a window ends, every subscriber and category with kept notifications due
 * gets one digest per set of channels that kept the same notifications (usually one for all), as a
 * notification of that category sent to them alone. Pages of subscribers are read, then each page's
 * items are consumed and its digests written in one transaction, so an item goes into exactly one
 * digest however often the sweep runs or crashes.
 */
public final class DigestSweep implements JobHandler {
  // Subscriber/category pairs per transaction: each digest is planned with a few reads in it.
  static final int PAGE = 200;

  private static final Comparator<Notification> OLDEST_FIRST =
      Comparator.comparingLong(Notification::createdAt).thenComparing(Notification::id);

  private final Database db;
  private final DigestRepository repo = new DigestRepository();
  private final NotificationRepository notifications;
  private final SubscriberRepository subscribers;
  private final RecipientContent contents;
  private final Templates templates;
  private final FanOut fanOut;
  private final WorkQueue queue;
  private final Clock clock;
  private final Duration lease;

  public DigestSweep(
      Database db,
      NotificationRepository notifications,
      SubscriberRepository subscribers,
      RecipientContent contents,
      Templates templates,
      FanOut fanOut,
      WorkQueue queue,
      Clock clock,
      Duration lease) {
    this.db = db;
    this.notifications = notifications;
    this.subscribers = subscribers;
    this.contents = contents;
    this.templates = templates;
    this.fanOut = fanOut;
    this.queue = queue;
    this.clock = clock;
    this.lease = lease;
  }

  /** One page read before its transaction: the items, their notifications and the subscribers. */
  private record Page(
      List<Key> keys,
      List<Item> items,
      Map<String, Notification> notifications,
      Map<String, Subscriber> profiles) {}

  @Override
  public JobResult handle(Job job) throws Exception {
    String appId = job.appId();
    long dueAt = Json.MAPPER.readValue(job.payload(), Digesting.Sweep.class).dueAt();
    // First, so an item written for this window while the sweep runs schedules another sweep.
    db.write(
        tx -> {
          repo.windowSwept(tx, appId, dueAt);
          return null;
        });
    long now = clock.millis();
    Key after = Key.START;
    while (true) {
      Key from = after;
      Page page = db.read(h -> load(h, appId, now, from));
      if (page.keys().isEmpty()) return JobResult.done();
      db.write(
          tx -> {
            send(tx, appId, page);
            queue.extendLease(tx, job.id(), clock.millis() + lease.toMillis());
            return null;
          });
      if (page.keys().size() < PAGE) return JobResult.done();
      after = page.keys().getLast();
    }
  }

  private Page load(Handle h, String appId, long now, Key after) {
    List<Key> keys = repo.due(h, appId, now, after, PAGE);
    List<Item> items = repo.items(h, appId, now, keys);
    Map<String, Notification> byId = new LinkedHashMap<>();
    List<String> ids = items.stream().map(Item::notificationId).distinct().toList();
    for (Notification n : notifications.findAll(h, appId, ids)) byId.put(n.id(), n);
    Map<String, Subscriber> profiles = new LinkedHashMap<>();
    List<String> who = keys.stream().map(Key::subscriberId).distinct().toList();
    for (Subscriber s : subscribers.findAll(h, appId, who)) profiles.put(s.id(), s);
    // Compiled outside the transaction, so rendering in it reads nothing.
    byId.values().stream()
        .map(n -> n.send().template())
        .filter(Objects::nonNull)
        .distinct()
        .forEach(t -> templates.version(appId, t.key(), t.version()));
    return new Page(keys, items, byId, profiles);
  }

  private void send(Tx tx, String appId, Page page) {
    Map<Key, Map<String, List<String>>> byKey = new LinkedHashMap<>();
    for (Item i : repo.consume(tx, appId, page.items())) {
      byKey
          .computeIfAbsent(i.key(), k -> new TreeMap<>())
          .computeIfAbsent(i.channel(), c -> new ArrayList<>())
          .add(i.notificationId());
    }
    Map<String, Function<Subscriber, Rendered>> renderers = new LinkedHashMap<>();
    byKey.forEach(
        (key, channels) -> {
          Subscriber profile = page.profiles().get(key.subscriberId());
          if (profile == null) return; // erased meanwhile: nothing to send
          // Channels that kept the same notifications share one digest.
          Map<List<String>, List<String>> bySet =
              channels.entrySet().stream()
                  .collect(
                      Collectors.groupingBy(
                          Map.Entry::getValue,
                          LinkedHashMap::new,
                          Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
          bySet.forEach(
              (ids, on) -> {
                List<Notification> kept =
                    ids.stream()
                        .map(page.notifications()::get)
                        .filter(n -> n != null && !n.status().equals(NotificationStatus.CANCELED))
                        .sorted(OLDEST_FIRST)
                        .toList();
                if (kept.isEmpty()) return;
                Content content = render(appId, profile, kept, renderers);
                fanOut.insertDigest(
                    tx,
                    appId,
                    key.subscriberId(),
                    key.category(),
                    lane(kept),
                    on.stream().sorted().toList(),
                    content,
                    kept.getLast().send().ttlSeconds());
              });
        });
  }

  /**
   * The digest of {@code kept} (oldest first) in the subscriber's locale: the digest variant of
   * their template when they all share one (its newest version, with the newest send's vars), else
   * the built-in digest.
   */
  private Content render(
      String appId,
      Subscriber profile,
      List<Notification> kept,
      Map<String, Function<Subscriber, Rendered>> renderers) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Notification n : kept) {
      Content c =
          renderers
              .computeIfAbsent(n.id(), id -> contents.forNotification(n))
              .apply(profile)
              .content();
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("notification_id", n.id());
      item.put("title", c.title());
      item.put("body", c.body());
      item.put("url", c.url());
      item.put("image", c.image());
      item.put("data", c.data());
      item.put("created_at", Times.iso(n.createdAt()));
      items.add(item);
    }
    Notification newest = kept.getLast();
    var t = newest.send().template();
    boolean shared =
        t != null
            && kept.stream()
                .allMatch(
                    n -> n.send().template() != null && n.send().template().key().equals(t.key()));
    if (!shared) return CompiledTemplate.plainDigest(items).content();
    return templates
        .renderDigest(appId, t.key(), t.version(), profile.locale(), t.vars(), profile, items)
        .content();
  }

  /** Important when any kept notification was; else bulk. */
  private static String lane(List<Notification> kept) {
    boolean important = kept.stream().anyMatch(n -> Lane.IMPORTANT.key().equals(n.lane()));
    return important ? Lane.IMPORTANT.key() : Lane.BULK.key();
  }
}
