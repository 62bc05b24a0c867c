package dev.herald.queue;

import dev.herald.store.Tx;

/**
 * Runs jobs of one kind. Runs may repeat (delivery is at least once), so handlers are idempotent or
 * make repeats recognisable. An exception counts as a retry.
 */
public interface JobHandler {
  JobResult handle(Job job) throws Exception;

  /** Called in the transaction that moves a job to the dead-letter queue. */
  default void onDeadLetter(Tx tx, Job job, String error) throws Exception {}

  /** Called in the transaction that re-drives a dead letter back into its lane. */
  default void onRedrive(Tx tx, Job job) throws Exception {}
}
