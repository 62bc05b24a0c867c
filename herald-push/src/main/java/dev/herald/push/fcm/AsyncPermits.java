package dev.herald.push.fcm;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * At most {@code max} tasks hold a permit; the rest wait in arrival order without blocking a
 * thread. A task must call {@link #release()} exactly once when its asynchronous work ends.
 * Thread-safe.
 */
final class AsyncPermits {
  private final int max;
  private final Executor handoff;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int inUse;

  AsyncPermits(int max, Executor handoff) {
    this.max = max;
    this.handoff = handoff;
  }

  /** Runs {@code task} now if a permit is free, else when one is released. */
  void acquire(Runnable task) {
    synchronized (this) {
      if (inUse >= max) {
        waiting.add(task);
        return;
      }
      inUse++;
    }
    task.run();
  }

  /** Gives the permit to the next waiting task (on the hand-off executor), or frees it. */
  void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) inUse--;
    }
    if (next == null) return;
    try {
      handoff.execute(next);
    } catch (RejectedExecutionException closing) {
      next.run(); // the owner is closing; the task sees that and answers at once
    }
  }
}
