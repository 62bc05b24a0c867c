package dev.herald.realtime;

import dev.herald.inbox.InboxEvent;
import dev.herald.inbox.InboxEvents;
import dev.herald.web.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live client of one subscriber. A pump (one virtual thread) replays what the client missed,
 * then forwards bus messages strictly in seq order: a message at or below the last seq sent is a
 * duplicate and dropped; one beyond the next seq (a lost or body-less message) is filled in from
 * storage first. Messages wait in a bounded queue; a client too slow to keep it from filling up is
 * told to resync and disconnected rather than buffered without limit. The queue is linked, not an
 * array: an idle connection then holds no 4 KB array of empty slots, only what waits.
 */
final class Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  static final int REPLAY_PAGE = 500;

  private final String appId;
  private final String subscriberId;
  private final Transport transport;
  private final InboxEvents events;
  private final Delivered delivered;
  private final BlockingQueue<BusMessage> queue;
  private final Duration heartbeat;
  private volatile boolean overflowed;
  private volatile boolean closed;
  private long lastSeq;

  Connection(
      String appId,
      String subscriberId,
      Transport transport,
      InboxEvents events,
      Delivered delivered,
      int bufferSize,
      Duration heartbeat) {
    this.appId = appId;
    this.subscriberId = subscriberId;
    this.transport = transport;
    this.events = events;
    this.delivered = delivered;
    this.queue = new LinkedBlockingQueue<>(bufferSize);
    this.heartbeat = heartbeat;
  }

  String appId() {
    return appId;
  }

  String subscriberId() {
    return subscriberId;
  }

  /** Called from the bus thread: never blocks. */
  void offer(BusMessage m) {
    if (!queue.offer(m)) overflowed = true;
  }

  /** Stops the pump; the transport is closed by whoever calls this or by the client. */
  void stop() {
    closed = true;
    queue.offer(new BusMessage(appId, subscriberId, -1, null));
  }

  /**
   * Runs the connection until it closes: replay from {@code since} (or start at the latest seq),
   * {@code ready}, then live messages. Answers when the connection is over.
   */
  void pump(Long since, long unread) {
    try {
      long latest = events.latest(appId, subscriberId);
      if (since == null) {
        lastSeq = latest;
      } else if (since > latest) {
        resync("seq " + since + " is ahead of this inbox (latest " + latest + ")");
        return;
      } else {
        lastSeq = since;
        if (!catchUp(latest)) return;
      }
      transport.control("ready", control("ready", "seq", lastSeq, "unread", unread));
      while (!closed) {
        BusMessage m = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        if (closed) return;
        if (overflowed) {
          resync("the client fell too far behind");
          return;
        }
        if (m == null) {
          transport.heartbeat(lastSeq);
        } else if (m.seq() > lastSeq) {
          if (m.seq() == lastSeq + 1 && m.json() != null) {
            send(m.seq(), type(m.json()), m.json());
          } else if (!catchUp(m.seq())) {
            return;
          }
        }
      }
    } catch (IOException e) {
      log.debug("Connection of {} ended: {}", subscriberId, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      transport.close(false, "closed");
    }
  }

  /** Sends every stored event after the last one sent, up to {@code upTo}; false after a resync. */
  private boolean catchUp(long upTo) throws IOException {
    while (lastSeq < upTo && !closed) {
      List<InboxEvent> page = events.after(appId, subscriberId, lastSeq, upTo, REPLAY_PAGE);
      if (page.isEmpty() || page.getFirst().seq() != lastSeq + 1) {
        resync("events after seq " + lastSeq + " are no longer kept");
        return false;
      }
      for (InboxEvent e : page) send(e.seq(), e.type(), Json.write(e.view()), e);
    }
    return true;
  }

  private void send(long seq, String type, String json) throws IOException {
    send(seq, type, json, null);
  }

  private void send(long seq, String type, String json, InboxEvent stored) throws IOException {
    transport.event(seq, type, json);
    lastSeq = seq;
    if (type.equals(InboxEvent.RECEIVED)) {
      String notificationId = stored != null ? stored.notificationId() : notificationOf(json);
      if (notificationId != null) delivered.received(appId, subscriberId, notificationId);
    }
  }

  private void resync(String reason) throws IOException {
    transport.control("resync", control("resync", "reason", reason));
    transport.close(true, reason);
    closed = true;
  }

  /** A control message's JSON: its type first, then the given name/value pairs. */
  static String control(String type, Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], pairs[i + 1]);
    return Json.write(m);
  }

  /** The event type, read from the start of the JSON the publisher wrote ({"type":"…",…}). */
  static String type(String json) {
    int start = json.indexOf("\"type\":\"") + 8;
    return json.substring(start, json.indexOf('"', start));
  }

  private static String notificationOf(String json) {
    Object item = Json.map(json).get("item");
    return item instanceof Map<?, ?> m && m.get("notification_id") instanceof String s ? s : null;
  }
}
