package dev.herald.queue;

import dev.herald.store.Tx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The durable work queue port. Enqueueing joins the caller's transaction, so work exists exactly
 * when the data it concerns does. Claimed jobs carry a lease; a lease that runs out (a crashed
 * worker) returns the job to its lane.
 */
public interface WorkQueue {
  void enqueue(Tx tx, List<NewJob> jobs);

  /**
   * Enqueues jobs already leased to the caller until {@code leaseUntil}, who runs them at once
   * (e.g. inside a request); if it never records an outcome, the lease runs out and a worker takes
   * them.
   */
  List<Job> enqueueLeased(Tx tx, List<NewJob> jobs, long leaseUntil);

  /** Leases up to {@code max} due jobs of {@code lane}. */
  List<Job> claim(Tx tx, Lane lane, int max, long leaseUntil);

  void complete(Tx tx, Job job);

  void reschedule(Tx tx, Job job, long runAt, String error, String payload);

  /** Returns a leased job to its lane at {@code runAt}, giving back the attempt its claim took. */
  void postpone(Tx tx, Job job, long runAt);

  DeadLetter bury(Tx tx, Job job, String error, long expiresAt);

  void extendLease(Tx tx, long jobId, long leaseUntil);

  /** Returns jobs whose lease ran out to their lane; answers how many. */
  int releaseExpired(Tx tx, long now);

  /** Returns the given leased jobs to their lane at once (graceful shutdown). */
  void release(Tx tx, List<Long> jobIds);

  /** Returns every leased job (a single node starting after a crash). */
  int releaseAll(Tx tx);

  /** Deletes the waiting jobs of a notification; answers how many. */
  int cancel(Tx tx, String notificationId);

  /** Adds to the completed-job totals of a lane, per app. */
  void addCompleted(Tx tx, Lane lane, Map<String, Long> perApp);

  OptionalLong nextRunAt(Lane lane);

  /** Jobs per lane and state, for one app or (empty) the whole instance. */
  Map<Lane, QueueCounts> counts(Optional<String> appId, long now);

  List<DeadLetter> deadLetters(String appId, Optional<String> after, int limit);

  Optional<DeadLetter> deadLetter(Tx tx, String appId, String id);

  /** Moves a dead letter back into its lane with fresh attempts; answers the new job. */
  Job redrive(Tx tx, DeadLetter letter, long now);

  int purgeDeadLetters(Tx tx, long now);
}
