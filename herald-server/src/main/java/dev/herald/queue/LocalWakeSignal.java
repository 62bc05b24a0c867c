package dev.herald.queue;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** In-process wake-ups: one flag and condition per lane, so a wake is never lost between checks. */
public class LocalWakeSignal implements WakeSignal {
  private final Map<Lane, Slot> slots = new EnumMap<>(Lane.class);

  public LocalWakeSignal() {
    for (Lane lane : Lane.values()) slots.put(lane, new Slot());
  }

  @Override
  public void wake(Lane lane) {
    Slot s = slots.get(lane);
    s.lock.lock();
    try {
      s.woken = true;
      s.condition.signalAll();
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public void await(Lane lane, long maxMillis) throws InterruptedException {
    Slot s = slots.get(lane);
    s.lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(maxMillis);
      while (!s.woken && nanos > 0) {
        nanos = s.condition.awaitNanos(nanos);
      }
      s.woken = false;
    } finally {
      s.lock.unlock();
    }
  }

  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    final Condition condition = lock.newCondition();
    boolean woken;
  }
}
