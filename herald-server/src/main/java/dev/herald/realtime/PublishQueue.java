package dev.herald.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decouples the threads that publish (writers, right after a commit) from the network: messages go
 * into a bounded queue and one thread sends whatever has gathered in one batch. A full queue drops
 * the newest messages, counted and logged, rather than stall a writer; gateways recover a dropped
 * event from storage when the subscriber's next one arrives. Thread-safe.
 */
final class PublishQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PublishQueue.class);
  // Ten fan-out pages of 1,000 recipients: a burst of that size waits rather than being dropped.
  static final int DEFAULT_CAPACITY = 16_384;
  // Messages per send: bounds one statement or PUBLISH while still amortising its round trip.
  private static final int MAX_BATCH = 4_096;
  private static final long DROP_LOG_INTERVAL_NANOS = 10_000_000_000L;
  // Wakes the sending thread on close without interrupting a send in progress.
  private static final BusMessage STOP = new BusMessage("", "", -1, null);

  /** Sends one batch, in order; may block the sending thread, never a publisher. */
  interface Sender {
    void send(List<BusMessage> batch) throws Exception;
  }

  private final BlockingQueue<BusMessage> queue;
  private final Sender sender;
  private final String name;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean running = true;
  private long droppedLogged;
  private long lastDropLog;

  PublishQueue(String name, int capacity, Sender sender) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.sender = sender;
    this.name = name;
    this.lastDropLog = System.nanoTime() - DROP_LOG_INTERVAL_NANOS;
    this.thread = Thread.ofPlatform().name("herald-" + name + "-publish").daemon().start(this::run);
  }

  /** Queues the messages without waiting; those that do not fit are dropped. */
  void offer(List<BusMessage> messages) {
    for (BusMessage m : messages) {
      if (!queue.offer(m)) dropped.incrementAndGet();
    }
  }

  /** Messages dropped so far because the queue was full. */
  long dropped() {
    return dropped.get();
  }

  private void run() {
    List<BusMessage> batch = new ArrayList<>();
    while (running) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      send(batch);
      reportDrops();
    }
    // Closing: what is already queued still goes out once.
    while (queue.drainTo(batch, MAX_BATCH) > 0) send(batch);
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

  private void reportDrops() {
    long total = dropped.get();
    long now = System.nanoTime();
    if (total == droppedLogged || now - lastDropLog < DROP_LOG_INTERVAL_NANOS) return;
    log.warn(
        "{} bus queue was full: dropped {} messages ({} in all); gateways catch up at the next event",
        name,
        total - droppedLogged,
        total);
    droppedLogged = total;
    lastDropLog = now;
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
