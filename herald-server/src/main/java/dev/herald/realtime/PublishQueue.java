package dev.herald.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decouples the threads that publish (writers, right after a commit) from the network: messages go
 * into a bounded queue and one thread sends whatever has gathered in one batch. When the queue is
 * more than half full, batches go without their bodies (bodies are most of the bytes, and gateways
 * can read them from storage); when it is full, messages are folded into one body-less "latest seq"
 * hint per subscriber rather than stall a writer or be lost: a gateway that gets the hint reads
 * everything up to that seq from storage. Only past {@link #MAX_HINTS} distinct subscribers are
 * hints dropped (a connected one then catches up at its next event). Counted and logged.
 * Thread-safe.
 */
final class PublishQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PublishQueue.class);
  // Sixteen fan-out pages of 1,000 recipients wait rather than being dropped.
  static final int DEFAULT_CAPACITY = 16_384;
  // Messages per send: bounds one statement or PUBLISH while still amortising its round trip.
  private static final int MAX_BATCH = 4_096;
  // Subscribers whose latest seq is remembered while the queue is full (about 100 bytes each).
  static final int MAX_HINTS = 1_000_000;
  private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
  // Wakes the sending thread on close without interrupting a send in progress.
  private static final BusMessage STOP = new BusMessage("", "", -1, null);

  /** Sends one batch, in order; may block the sending thread, never a publisher. */
  interface Sender {
    void send(List<BusMessage> batch) throws Exception;
  }

  private final BlockingQueue<BusMessage> queue;
  private final int capacity;
  private final Sender sender;
  private final String name;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private final ConcurrentHashMap<String, BusMessage> hints = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  // The sending thread's own counts, for its log lines.
  private long withoutBodies;
  private long droppedLogged;
  private long withoutBodiesLogged;
  private long lastLog;

  PublishQueue(String name, int capacity, Sender sender) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
    this.sender = sender;
    this.name = name;
    this.lastLog = System.nanoTime() - LOG_INTERVAL_NANOS;
    this.thread = Thread.ofPlatform().name("herald-" + name + "-publish").daemon().start(this::run);
  }

  /** Queues the messages without waiting; those that do not fit become per-subscriber hints. */
  void offer(List<BusMessage> messages) {
    for (BusMessage m : messages) {
      if (!queue.offer(m)) hint(m);
    }
  }

  private void hint(BusMessage m) {
    String key = m.appId() + '\n' + m.subscriberId();
    if (hints.size() >= MAX_HINTS && !hints.containsKey(key)) {
      dropped.incrementAndGet();
      return;
    }
    hints.merge(key, m.withoutBody(), (a, b) -> a.seq() >= b.seq() ? a : b);
  }

  /**
   * Hints dropped so far: the queue was full and more than {@link #MAX_HINTS} subscribers behind.
   */
  long dropped() {
    return dropped.get();
  }

  private void run() {
    List<BusMessage> batch = new ArrayList<>();
    while (running) {
      try {
        BusMessage first = hints.isEmpty() ? queue.take() : queue.poll();
        if (first != null) batch.add(first);
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, MAX_BATCH - batch.size());
      takeHints(batch);
      if (batch.size() + queue.size() > capacity / 2) {
        batch.replaceAll(BusMessage::withoutBody);
        withoutBodies += batch.size();
      }
      send(batch);
      report();
    }
    // Closing: what is already queued still goes out once.
    while (queue.drainTo(batch, MAX_BATCH) > 0 | takeHints(batch)) send(batch);
  }

  /** Moves hints into the batch while it has room; answers whether any were taken. */
  private boolean takeHints(List<BusMessage> batch) {
    boolean took = false;
    for (var it = hints.entrySet().iterator(); it.hasNext() && batch.size() < MAX_BATCH; ) {
      var e = it.next();
      // A hint raised meanwhile stays for the next batch.
      if (hints.remove(e.getKey(), e.getValue())) {
        batch.add(e.getValue());
        took = true;
      }
    }
    return took;
  }

  private void send(List<BusMessage> batch) {
    batch.removeIf(m -> m == STOP);
    if (batch.isEmpty()) return;
    try {
      sender.send(batch);
    } catch (Exception e) {
      log.warn(
          "{} bus could not send {} messages ({}); gateways catch up at the next event",
          name,
          batch.size(),
          e.toString());
    } finally {
      batch.clear();
    }
  }

  private void report() {
    long now = System.nanoTime();
    long total = dropped.get();
    if (now - lastLog < LOG_INTERVAL_NANOS
        || (total == droppedLogged && withoutBodies == withoutBodiesLogged)) return;
    if (withoutBodies != withoutBodiesLogged) {
      log.info(
          "{} bus fell behind: sent {} messages without their body; gateways read them from storage",
          name,
          withoutBodies - withoutBodiesLogged);
    }
    if (total != droppedLogged) {
      log.warn(
          "{} bus queue was full with too many subscribers behind: dropped {} hints ({} in all);"
              + " their connections catch up at the next event",
          name,
          total - droppedLogged,
          total);
    }
    droppedLogged = total;
    withoutBodiesLogged = withoutBodies;
    lastLog = now;
  }

  /** Sends what is queued, then stops the thread (waiting a few seconds at most). */
  @Override
  public void close() {
    running = false;
    queue.offer(STOP); // when the queue is full, the thread is busy and sees running first
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
