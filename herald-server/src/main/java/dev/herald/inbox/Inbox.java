package dev.herald.inbox;

import dev.herald.store.Tx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every write to an inbox goes through here, so each change is stored with its event (next seq,
 * unread count after it) in the same transaction, and the events reach the sink only after commit.
 */
public final class Inbox {
  /** A state change a client can make to one item. */
  public enum Change {
    READ,
    UNREAD,
    ARCHIVE,
    UNARCHIVE,
    DELETE
  }

  /** What a change left behind: the item (null once deleted), the unread count and latest seq. */
  public record Result(InboxItem item, long unread, long seq) {}

  private final InboxRepository items;
  private final InboxEvents events;
  private final Clock clock;
  private volatile InboxEventSink sink = InboxEventSink.NONE;
  private volatile ReadListener readListener = ReadListener.NONE;

  public Inbox(InboxRepository items, InboxEvents events, Clock clock) {
    this.items = items;
    this.events = events;
    this.clock = clock;
  }

  public void sink(InboxEventSink sink) {
    this.sink = sink;
  }

  public void onRead(ReadListener listener) {
    this.readListener = listener;
  }

  public InboxRepository items() {
    return items;
  }

  public InboxEvents events() {
    return events;
  }

  /**
   * Stores new items (skipping any the subscriber already has for that notification) with one
   * {@code notification_received} event each; answers the ones inserted.
   */
  public List<InboxItem> deliver(Tx tx, List<InboxItem> planned) {
    List<InboxItem> inserted = items.insertNew(tx, planned);
    if (inserted.isEmpty()) return inserted;
    Map<String, List<InboxItem>> byApp = new LinkedHashMap<>();
    for (InboxItem i : inserted) byApp.computeIfAbsent(i.appId(), k -> new ArrayList<>()).add(i);
    List<InboxEvent> out = new ArrayList<>(inserted.size());
    for (Map.Entry<String, List<InboxItem>> e : byApp.entrySet()) {
      out.addAll(received(tx, e.getKey(), e.getValue()));
    }
    record(tx, out);
    return inserted;
  }

  private List<InboxEvent> received(Tx tx, String appId, List<InboxItem> inserted) {
    Map<String, Integer> perSubscriber = new LinkedHashMap<>();
    for (InboxItem i : inserted) perSubscriber.merge(i.subscriberId(), 1, Integer::sum);
    Map<String, Long> last = events.reserve(tx, appId, perSubscriber);
    Map<String, Long> unread = items.unread(tx.handle(), appId, perSubscriber.keySet());
    // Each new item is unread, so the k-th of n for one subscriber saw the final count minus the
    // rest.
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<InboxEvent> out = new ArrayList<>(inserted.size());
    for (InboxItem i : inserted) {
      String sub = i.subscriberId();
      int n = perSubscriber.get(sub);
      int k = seen.merge(sub, 1, Integer::sum);
      long seq = last.get(sub) - n + k;
      long count = unread.getOrDefault(sub, 0L) - (n - k);
      out.add(new InboxEvent(appId, sub, seq, InboxEvent.RECEIVED, count, i.view()));
    }
    return out;
  }

  /**
   * Applies one change; empty when the subscriber has no such item. No-op changes record nothing.
   */
  public Optional<Result> change(
      Tx tx, String appId, String subscriberId, String itemId, Change change) {
    Optional<InboxItem> found = items.find(tx.handle(), appId, subscriberId, itemId);
    if (found.isEmpty()) return Optional.empty();
    InboxItem item = found.get();
    long now = clock.millis();
    InboxItem after =
        switch (change) {
          case READ -> item.readAt() == null ? item.withReadAt(now) : item;
          case UNREAD -> item.withReadAt(null);
          case ARCHIVE -> item.archivedAt() == null ? item.withArchivedAt(now) : item;
          case UNARCHIVE -> item.withArchivedAt(null);
          case DELETE -> null;
        };
    boolean changed =
        switch (change) {
          case READ, UNREAD ->
              !Objects.equals(item.readAt(), after.readAt())
                  && items.set(tx, item, "read_at", after.readAt());
          case ARCHIVE, UNARCHIVE ->
              !Objects.equals(item.archivedAt(), after.archivedAt())
                  && items.set(tx, item, "archived_at", after.archivedAt());
          case DELETE -> items.delete(tx, item);
        };
    if (changed && change == Change.READ) {
      readListener.read(tx, appId, subscriberId, List.of(item.notificationId()));
    }
    long unread = unread(tx, appId, subscriberId);
    if (!changed)
      return Optional.of(
          new Result(after, unread, InboxEvents.latest(tx.handle(), appId, subscriberId)));
    String type =
        switch (change) {
          case ARCHIVE -> InboxEvent.ARCHIVED;
          case DELETE -> InboxEvent.DELETED;
          default -> InboxEvent.UPDATED;
        };
    Map<String, Object> view = after == null ? Map.of("id", item.id()) : after.view();
    long seq = one(tx, appId, subscriberId, type, unread, view);
    return Optional.of(new Result(after, unread, seq));
  }

  /** Marks every unread item read: one {@code all_notifications_read} event when any changed. */
  public Result readAll(Tx tx, String appId, String subscriberId) {
    List<String> read = items.readAll(tx, appId, subscriberId, clock.millis());
    if (read.isEmpty())
      return new Result(null, 0, InboxEvents.latest(tx.handle(), appId, subscriberId));
    readListener.read(tx, appId, subscriberId, read);
    return new Result(null, 0, one(tx, appId, subscriberId, InboxEvent.ALL_READ, 0, null));
  }

  private long one(
      Tx tx,
      String appId,
      String subscriberId,
      String type,
      long unread,
      Map<String, Object> item) {
    long seq = events.reserve(tx, appId, Map.of(subscriberId, 1)).get(subscriberId);
    record(tx, List.of(new InboxEvent(appId, subscriberId, seq, type, unread, item)));
    return seq;
  }

  private long unread(Tx tx, String appId, String subscriberId) {
    return items.unread(tx.handle(), appId, List.of(subscriberId)).getOrDefault(subscriberId, 0L);
  }

  private void record(Tx tx, List<InboxEvent> out) {
    events.insert(tx, out, clock.millis());
    tx.afterCommit(() -> sink.committed(out));
  }

  /** Unread and total counts, read outside any transaction. */
  public Map<String, Long> counts(String appId, String subscriberId) {
    return items.counts(appId, subscriberId);
  }
}
