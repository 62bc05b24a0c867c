package dev.herald.queue;

/**
 * Tells idle workers that a lane has new work, so they never poll in a loop. In one process this is
 * an in-memory signal; across a cluster PostgreSQL NOTIFY carries it.
 */
public interface WakeSignal extends AutoCloseable {
  /** Announces work in {@code lane}; called after the enqueuing transaction commits. */
  void wake(Lane lane);

  /** Waits until {@code lane} is woken or {@code maxMillis} pass. */
  void await(Lane lane, long maxMillis) throws InterruptedException;

  @Override
  default void close() {}
}
