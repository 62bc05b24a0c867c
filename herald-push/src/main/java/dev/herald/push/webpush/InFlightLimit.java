package dev.herald.push.webpush;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs at most {@code limit} tasks at once without blocking anyone: a task that finds no free slot
 * waits in a queue and is started by whoever frees one. Tasks should be short (issuing a request),
 * as one thread at a time starts them; a task that finishes at once and releases its slot from
 * inside {@link Runnable#run()} does not nest calls; a task that throws gets its slot back.
 * Thread-safe.
 */
final class InFlightLimit {
  private final Semaphore slots;
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger drainRequests = new AtomicInteger();

  InFlightLimit(int limit) {
    this.slots = new Semaphore(limit);
  }

  /** Starts {@code task} now if a slot is free, else once one is; the task must call release. */
  void submit(Runnable task) {
    waiting.add(task);
    drain();
  }

  /** Frees the slot a finished task held. */
  void release() {
    slots.release();
    drain();
  }

  /** Tasks waiting for a slot. */
  int waiting() {
    return waiting.size();
  }

  private void drain() {
    // Whoever finds the counter at zero drains; others only ask it to look again.
    if (drainRequests.getAndIncrement() != 0) return;
    int missed = 1;
    do {
      while (!waiting.isEmpty() && slots.tryAcquire()) {
        Runnable next = waiting.poll();
        if (next == null) {
          slots.release();
          break;
        }
        try {
          next.run();
        } catch (RuntimeException e) {
          slots.release(); // a task that throws never started its request
        }
      }
      missed = drainRequests.addAndGet(-missed);
    } while (missed != 0);
  }
}
