package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.herald.delivery.Content;
import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.device.Device;
import dev.herald.device.DeviceRepository;
import dev.herald.inbox.Inbox;
import dev.herald.inbox.InboxEvent;
import dev.herald.inbox.InboxEvents;
import dev.herald.inbox.InboxItem;
import dev.herald.inbox.InboxRepository;
import dev.herald.notification.Notification;
import dev.herald.notification.NotificationRepository;
import dev.herald.notification.Send;
import dev.herald.subscriber.Subscriber;
import dev.herald.subscriber.SubscriberRepository;
import dev.herald.testing.TestDatabase;
import dev.herald.topic.TopicRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The repositories' SQL on every database Herald supports, where the dialects differ most: batched
 * {@code ON CONFLICT DO NOTHING} inserts whose update counts say what was new, {@code RETURNING},
 * expanded lists, JSON attributes and integer flags. Each test uses its own ids, so they share one
 * database. Subclasses only say which database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RepositoryContract {
  private static final String APP = "app-1";
  private static final long NOW = 1_790_000_000_000L;

  private TestDatabase database;
  private Database db;
  private DeliveryRepository deliveries;
  private Inbox inbox;
  private SubscriberRepository subscribers;
  private TopicRepository topics;
  private NotificationRepository notifications;
  private DeviceRepository devices;

  /** A fresh, empty database for this class. */
  protected abstract TestDatabase newDatabase();

  @BeforeAll
  void open() {
    database = newDatabase();
    db = database.open();
    deliveries = new DeliveryRepository(db);
    inbox = new Inbox(new InboxRepository(db), new InboxEvents(db), Clock.systemUTC());
    subscribers = new SubscriberRepository(db);
    topics = new TopicRepository(db, subscribers);
    notifications = new NotificationRepository(db);
    devices = new DeviceRepository(db);
  }

  @AfterAll
  void close() {
    db.close();
    database.close();
  }

  @Test
  void insertNewDeliveriesAnswersOnlyTheRowsItInserted() {
    List<Delivery> first = List.of(delivery("n-ins", "d1", "s:a"), delivery("n-ins", "d2", "s:b"));
    List<Delivery> firstInserted = db.write(tx -> deliveries.insertNew(tx, first));
    assertThat(firstInserted).isEqualTo(first);

    List<Delivery> second =
        List.of(
            delivery("n-ins", "d3", "s:a"),
            delivery("n-ins", "d4", "s:c"),
            delivery("n-ins", "d5", "s:b"),
            delivery("n-ins", "d6", "s:d"),
            delivery("n-ins", "d7", "s:d"));
    List<Delivery> inserted = db.write(tx -> deliveries.insertNew(tx, second));

    assertThat(inserted).extracting(Delivery::id).containsExactly("d4", "d6");
    assertThat(deliveries.ofNotification("n-ins", Optional.empty(), Optional.empty(), 100))
        .extracting(Delivery::id)
        .containsExactly("d1", "d2", "d4", "d6");
  }

  @Test
  void moveAnswersOnlyDeliveriesThatWereInTheSourceState() {
    db.write(
        tx ->
            deliveries.insertNew(
                tx,
                List.of(
                    delivery("n-move", "m1", "s:a"),
                    delivery("n-move", "m2", "s:b"),
                    delivery("n-move", "m3", "s:c"))));
    db.write(tx -> deliveries.move(tx, List.of("m3"), "pending", "sent", null, false, NOW));

    List<String> moved =
        db.write(
            tx ->
                deliveries.move(
                    tx,
                    List.of("m1", "m2", "m3", "missing"),
                    "pending",
                    "failed",
                    "bad",
                    true,
                    NOW));

    assertThat(moved).containsExactlyInAnyOrder("m1", "m2");
    List<Delivery> rows = deliveries.find(List.of("m1", "m2", "m3"));
    assertThat(rows)
        .extracting(Delivery::id, Delivery::status, Delivery::reason, Delivery::attempts)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("m1", "failed", "bad", 1),
            org.assertj.core.groups.Tuple.tuple("m2", "failed", "bad", 1),
            org.assertj.core.groups.Tuple.tuple("m3", "sent", null, 0));
    List<String> again =
        db.write(tx -> deliveries.move(tx, List.of("m1"), "pending", "failed", "x", true, NOW));
    assertThat(again).isEmpty();
  }

  @Test
  void deliveriesOfANotificationPageInIdOrderAndFilterByStatus() {
    List<Delivery> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) rows.add(delivery("n-page", "p" + i, "s:" + i));
    db.write(tx -> deliveries.insertNew(tx, rows));
    db.write(tx -> deliveries.move(tx, List.of("p1", "p3"), "pending", "sent", null, false, NOW));

    var page1 = deliveries.ofNotification("n-page", Optional.empty(), Optional.empty(), 2);
    var page2 = deliveries.ofNotification("n-page", Optional.empty(), Optional.of("p1"), 2);
    var sent = deliveries.ofNotification("n-page", Optional.of("sent"), Optional.empty(), 10);

    assertThat(page1).extracting(Delivery::id).containsExactly("p0", "p1");
    assertThat(page2).extracting(Delivery::id).containsExactly("p2", "p3");
    assertThat(sent).extracting(Delivery::id).containsExactly("p1", "p3");
  }

  @Test
  void deliveringInboxItemsStoresOnlyNewOnesEachWithTheNextSeq() {
    assertThat(
            db.write(
                    tx ->
                        inbox.deliver(
                            tx, List.of(item("i1", "inbox-a", "n1"), item("i2", "inbox-a", "n2"))))
                .size())
        .isEqualTo(2);

    List<InboxItem> inserted =
        db.write(
            tx ->
                inbox.deliver(
                    tx,
                    List.of(
                        item("i3", "inbox-a", "n1"),
                        item("i4", "inbox-a", "n3"),
                        item("i5", "inbox-b", "n1"))));

    assertThat(inserted).extracting(InboxItem::id).containsExactly("i4", "i5");
    assertThat(inbox.items().list(APP, "inbox-a", "all", Optional.empty(), 10))
        .extracting(InboxItem::id)
        .containsExactly("i4", "i2", "i1");
    assertThat(inbox.counts(APP, "inbox-a")).isEqualTo(Map.of("unread", 3L, "total", 3L));
    List<InboxEvent> events = inbox.events().after(APP, "inbox-a", 0, Long.MAX_VALUE, 10);
    assertThat(events).extracting(InboxEvent::seq).containsExactly(1L, 2L, 3L);
    assertThat(events).extracting(InboxEvent::unread).containsExactly(1L, 2L, 3L);
    assertThat(events).extracting(e -> e.item().get("id")).containsExactly("i1", "i2", "i4");
    assertThat(inbox.events().after(APP, "inbox-b", 0, Long.MAX_VALUE, 10))
        .extracting(InboxEvent::seq, InboxEvent::type)
        .containsExactly(tuple(1L, InboxEvent.RECEIVED));
  }

  @Test
  void inboxStateChangesRecordOneEventEachWithTheUnreadCountAfterIt() {
    db.write(
        tx -> inbox.deliver(tx, List.of(item("c1", "inbox-c", "n1"), item("c2", "inbox-c", "n2"))));

    db.write(tx -> inbox.change(tx, APP, "inbox-c", "c1", Inbox.Change.READ));
    db.write(
        tx -> inbox.change(tx, APP, "inbox-c", "c1", Inbox.Change.READ)); // no change, no event
    db.write(tx -> inbox.change(tx, APP, "inbox-c", "c2", Inbox.Change.ARCHIVE));
    db.write(tx -> inbox.change(tx, APP, "inbox-c", "c2", Inbox.Change.UNARCHIVE));
    db.write(tx -> inbox.readAll(tx, APP, "inbox-c"));
    db.write(tx -> inbox.change(tx, APP, "inbox-c", "c1", Inbox.Change.DELETE));

    assertThat(
            db.<Optional<Inbox.Result>>write(
                tx -> inbox.change(tx, APP, "inbox-c", "missing", Inbox.Change.READ)))
        .isEmpty();
    assertThat(
            db.<Optional<Inbox.Result>>write(
                tx -> inbox.change(tx, APP, "someone-else", "c2", Inbox.Change.READ)))
        .isEmpty();
    assertThat(inbox.events().after(APP, "inbox-c", 0, Long.MAX_VALUE, 50))
        .extracting(InboxEvent::seq, InboxEvent::type, InboxEvent::unread)
        .containsExactly(
            tuple(1L, InboxEvent.RECEIVED, 1L),
            tuple(2L, InboxEvent.RECEIVED, 2L),
            tuple(3L, InboxEvent.UPDATED, 1L),
            tuple(4L, InboxEvent.ARCHIVED, 0L),
            tuple(5L, InboxEvent.UPDATED, 1L),
            tuple(6L, InboxEvent.ALL_READ, 0L),
            tuple(7L, InboxEvent.DELETED, 0L));
    assertThat(inbox.events().latest(APP, "inbox-c")).isEqualTo(7L);
  }

  @Test
  void joiningATopicCountsOnlyNewMembers() {
    int first = db.write(tx -> topics.join(tx, APP, "news", List.of("t-a", "t-b"), NOW));
    int second = db.write(tx -> topics.join(tx, APP, "news", List.of("t-b", "t-c", "t-d"), NOW));
    int left = db.write(tx -> topics.leave(tx, APP, "news", List.of("t-a", "t-z")));

    assertThat(first).isEqualTo(2);
    assertThat(second).isEqualTo(2);
    assertThat(left).isEqualTo(1);
    assertThat(topics.members(APP, "news", Optional.empty(), 2)).containsExactly("t-b", "t-c");
    assertThat(topics.members(APP, "news", Optional.of("t-c"), 2)).containsExactly("t-d");
    assertThat(subscribers.find(APP, "t-c")).as("joining creates the subscriber").isPresent();
  }

  @Test
  void subscriberAttributesKeepTheirJsonTypes() {
    Map<String, Object> attrs =
        Map.of("role", "HEAD", "age", 42, "score", 4.5, "vip", true, "tags", List.of("a", "b"));
    boolean created = db.write(tx -> subscribers.upsert(tx, subscriber("attr-1", attrs)));
    db.write(
        tx -> {
          subscribers.ensureExist(tx, APP, List.of("attr-1", "attr-2"), NOW);
          return null;
        });

    assertThat(created).isTrue();
    Subscriber s = subscribers.find(APP, "attr-1").orElseThrow();
    assertThat(s.attributes()).isEqualTo(attrs);
    assertThat(s.email()).isEqualTo("attr-1@example.com");
    assertThat(subscribers.find(APP, "attr-2").orElseThrow().attributes()).isEmpty();

    boolean again = db.write(tx -> subscribers.upsert(tx, subscriber("attr-1", Map.of("x", 1))));
    assertThat(again).isFalse();
    assertThat(subscribers.find(APP, "attr-1").orElseThrow().attributes())
        .isEqualTo(Map.of("x", 1));
  }

  @Test
  void notificationRowsRoundTripTheirFlagsAndCounters() {
    Notification n = notification("nr-1", "key-1");
    db.write(
        tx -> {
          notifications.insert(tx, n);
          return null;
        });
    Notification stored = notifications.find(APP, "nr-1").orElseThrow();
    assertThat(stored.fanoutDone()).isFalse();
    assertThat(stored.sendAt()).isNull();
    assertThat(stored.finishedAt()).isNull();
    assertThat(stored.send()).isEqualTo(n.send());
    Optional<Notification> byKey = db.read(h -> notifications.byIdempotencyKey(h, APP, "key-1"));
    assertThat(byKey).map(Notification::id).hasValue("nr-1");

    Optional<String> settled =
        db.write(
            tx -> {
              notifications.apply(
                  tx, "nr-1", new NotificationRepository.Delta(3, 1, 2, 0, 0, 0, 0), NOW);
              notifications.checkpoint(tx, "nr-1", "cursor-9", 3, true, NOW);
              notifications.apply(
                  tx, "nr-1", new NotificationRepository.Delta(0, -1, 0, 0, 1, 0, 0), NOW);
              return notifications.settleIfDone(tx, "nr-1", NOW + 5);
            });

    assertThat(settled).hasValue("partial");
    Notification done = notifications.find(APP, "nr-1").orElseThrow();
    assertThat(done.fanoutDone()).isTrue();
    assertThat(done.fanoutCursor()).isEqualTo("cursor-9");
    assertThat(done.recipients()).isEqualTo(3);
    assertThat(done.counts()).isEqualTo(new Notification.Counts(3, 0, 2, 0, 1, 0, 0));
    assertThat(done.status()).isEqualTo("partial");
    assertThat(done.finishedAt()).isEqualTo(NOW + 5);
  }

  @Test
  void notificationsListNewestFirstFromACursor() {
    for (String id : List.of("nl-1", "nl-2", "nl-3")) {
      db.write(
          tx -> {
            notifications.insert(tx, notification(id, null));
            return null;
          });
    }

    List<Notification> all =
        notifications.list(
            APP, Optional.of("queued"), Optional.of("listing"), Optional.empty(), 10);
    List<Notification> older =
        notifications.list(APP, Optional.empty(), Optional.of("listing"), Optional.of("nl-3"), 10);

    assertThat(all).extracting(Notification::id).containsExactly("nl-3", "nl-2", "nl-1");
    assertThat(older).extracting(Notification::id).containsExactly("nl-2", "nl-1");
  }

  @Test
  void deviceActiveFlagRoundTrips() {
    db.write(
        tx -> {
          devices.insert(tx, device("dev-1", "tok-1"));
          devices.insert(tx, device("dev-2", "tok-2"));
          return null;
        });

    boolean first = db.write(tx -> devices.deactivate(tx, APP, "dev-1", "unregistered", NOW + 1));
    boolean repeated = db.write(tx -> devices.deactivate(tx, APP, "dev-1", "again", NOW + 2));

    assertThat(first).isTrue();
    assertThat(repeated).isFalse();
    Device off = devices.find(APP, "dev-1").orElseThrow();
    assertThat(off.active()).isFalse();
    assertThat(off.deactivatedAt()).isEqualTo(NOW + 1);
    assertThat(off.deactivatedReason()).isEqualTo("unregistered");
    assertThat(devices.find(APP, "dev-2").orElseThrow().active()).isTrue();
    List<Device> active = db.read(h -> devices.activeFor(h, APP, List.of("owner")));
    assertThat(active).extracting(Device::id).containsExactly("dev-2");

    db.write(
        tx -> {
          devices.refresh(tx, device("dev-1", "tok-1"), "dev-1");
          return null;
        });
    assertThat(devices.find(APP, "dev-1").orElseThrow().active()).isTrue();
  }

  private static Delivery delivery(String notification, String id, String key) {
    return new Delivery(
        id,
        APP,
        notification,
        key,
        key.substring(2),
        "in_app",
        "inbox",
        null,
        null,
        "pending",
        null,
        0,
        null,
        NOW,
        NOW);
  }

  private static InboxItem item(String id, String subscriber, String notification) {
    return new InboxItem(
        id, APP, subscriber, notification, "t", "b", null, null, null, null, null, null, NOW, null);
  }

  private static Subscriber subscriber(String id, Map<String, Object> attributes) {
    return new Subscriber(APP, id, id + "@example.com", null, "de-AT", null, attributes, NOW, NOW);
  }

  private static Device device(String id, String token) {
    return new Device(
        id, APP, "owner", "expo", "ios", token, null, null, null, true, null, null, NOW, NOW);
  }

  private static Notification notification(String id, String key) {
    Send send =
        new Send(
            new Send.Audience(List.of("u1"), List.of(), List.of(), List.of(), Map.of(), false),
            List.of("in_app"),
            List.of(),
            "important",
            "listing",
            new Content("Hi", null, Map.of("k", "v"), null, null),
            null,
            86_400,
            null,
            null,
            List.of());
    return new Notification(
        id,
        APP,
        "queued",
        "important",
        "listing",
        send,
        key,
        "hash",
        null,
        null,
        false,
        0,
        new Notification.Counts(0, 0, 0, 0, 0, 0, 0),
        NOW,
        NOW,
        null);
  }
}
