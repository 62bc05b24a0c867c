package dev.herald.realtime;

import dev.herald.inbox.InboxEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's live connections, by subscriber: routes bus messages to them, enforces the
 * per-subscriber connection limit, and keeps presence and the connection gauge current.
 */
public final class Gateway implements EventBus.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /** Limits and timings of live connections. */
  public record Settings(int maxPerSubscriber, int bufferSize, Duration heartbeat) {
    public static final Settings DEFAULT = new Settings(16, 1024, Duration.ofSeconds(25));
  }

  private final Map<String, Set<Connection>> bySubscriber = new ConcurrentHashMap<>();
  private final InboxEvents events;
  private final Presence presence;
  private final Delivered delivered;
  private final AtomicInteger gauge;
  private final Settings settings;
  private volatile boolean closing;

  public Gateway(
      InboxEvents events,
      Presence presence,
      Delivered delivered,
      AtomicInteger gauge,
      Settings settings) {
    this.events = events;
    this.presence = presence;
    this.delivered = delivered;
    this.gauge = gauge;
    this.settings = settings;
  }

  /** A connection for the subscriber, or null when it already has as many as allowed. */
  Connection open(String appId, String subscriberId, Transport transport) {
    if (closing) return null;
    Connection c =
        new Connection(
            appId,
            subscriberId,
            transport,
            events,
            delivered,
            settings.bufferSize(),
            settings.heartbeat());
    boolean[] first = {false};
    boolean[] admitted = {false};
    bySubscriber.compute(
        key(appId, subscriberId),
        (k, set) -> {
          if (set == null) {
            set = ConcurrentHashMap.newKeySet();
            first[0] = true;
          }
          if (set.size() < settings.maxPerSubscriber()) {
            set.add(c);
            admitted[0] = true;
          }
          return set;
        });
    if (!admitted[0]) return null;
    gauge.incrementAndGet();
    if (first[0]) presence.changed(appId, subscriberId);
    return c;
  }

  void closed(Connection c) {
    boolean[] last = {false};
    boolean[] removed = {false};
    bySubscriber.computeIfPresent(
        key(c.appId(), c.subscriberId()),
        (k, set) -> {
          removed[0] = set.remove(c);
          if (set.isEmpty()) {
            last[0] = true;
            return null;
          }
          return set;
        });
    if (!removed[0]) return;
    gauge.decrementAndGet();
    if (last[0]) presence.changed(c.appId(), c.subscriberId());
  }

  /**
   * Whether this node holds a connection of the subscriber (cheap; checked before building events).
   */
  public boolean connected(String appId, String subscriberId) {
    return bySubscriber.containsKey(key(appId, subscriberId));
  }

  @Override
  public void message(BusMessage m) {
    Set<Connection> set = bySubscriber.get(key(m.appId(), m.subscriberId()));
    if (set == null) return;
    for (Connection c : set) c.offer(m);
  }

  /** Messages may have been lost: every connection checks storage for what it has not seen. */
  @Override
  public void reconnected() {
    Thread.ofVirtual()
        .name("herald-gateway-resume")
        .start(
            () -> {
              for (Set<Connection> set : bySubscriber.values()) {
                for (Connection c : List.copyOf(set)) {
                  try {
                    long latest = events.latest(c.appId(), c.subscriberId());
                    c.offer(new BusMessage(c.appId(), c.subscriberId(), latest, null));
                  } catch (RuntimeException e) {
                    log.warn(
                        "Could not re-check {} after the bus reconnected", c.subscriberId(), e);
                  }
                }
              }
            });
  }

  public int connections() {
    return gauge.get();
  }

  /** Stops taking connections and ends every pump; transports close as their pumps end. */
  @Override
  public void close() {
    closing = true;
    for (Set<Connection> set : bySubscriber.values()) {
      for (Connection c : set) c.stop();
    }
  }

  private static String key(String appId, String subscriberId) {
    return appId + '\n' + subscriberId;
  }
}
