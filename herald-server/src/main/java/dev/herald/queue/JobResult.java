package dev.herald.queue;

import java.time.Duration;

/** What became of one run of a job. */
public sealed interface JobResult {
  /** Finished; {@code effects} commit together with the job's removal. */
  record Done(TxAction effects) implements JobResult {}

  /**
   * Try again after the backoff (or {@code atLeast}, when longer), optionally with a narrower
   * payload (e.g. only the deliveries that still need sending). Past the last attempt it becomes a
   * dead letter.
   */
  record Retry(String error, Duration atLeast, String payload, TxAction effects)
      implements JobResult {}

  /**
   * Not run now (e.g. its provider is at its concurrency limit): back to the lane after {@code
   * after}, without spending an attempt.
   */
  record Postpone(Duration after) implements JobResult {}

  /** Permanently failed now: straight to the dead-letter queue. */
  record Dead(String error, TxAction effects) implements JobResult {}

  static JobResult done() {
    return new Done(TxAction.NONE);
  }
}
