package dev.herald.queue;

import dev.herald.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one leased job through its handler and records the outcome, with the handler's state
 * changes, in one transaction: done → removed; retry → rescheduled on the backoff (or buried once
 * attempts are used up); dead → buried. Used by the lane workers and by sends that run inside a
 * request. Thread-safe.
 */
public final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private final Database db;
  private final WorkQueue queue;
  private final Map<String, JobHandler> handlers;
  private final RetryPolicy retry;
  private final Duration dlqRetention;
  private final Clock clock;
  private final QueueObserver observer;

  public JobRunner(
      Database db,
      WorkQueue queue,
      Map<String, JobHandler> handlers,
      RetryPolicy retry,
      Duration dlqRetention,
      Clock clock,
      QueueObserver observer) {
    this.db = db;
    this.queue = queue;
    this.handlers = Map.copyOf(handlers);
    this.retry = retry;
    this.dlqRetention = dlqRetention;
    this.clock = clock;
    this.observer = observer;
  }

  /** Runs {@code job}; answers true when it completed. An exception from the handler is a retry. */
  public boolean run(Job job) {
    JobHandler handler = handlers.get(job.kind());
    JobResult result;
    if (handler == null) {
      result = new JobResult.Dead("no handler for job kind '" + job.kind() + "'", TxAction.NONE);
    } else {
      try {
        result = handler.handle(job);
      } catch (Exception e) {
        log.warn(
            "Job {} ({}) failed on attempt {}: {}",
            job.id(),
            job.kind(),
            job.attempts(),
            e.toString());
        result = new JobResult.Retry(e.toString(), null, null, TxAction.NONE);
      }
    }
    return record(handler, job, result);
  }

  private boolean record(JobHandler handler, Job job, JobResult result) {
    switch (result) {
      case JobResult.Done d -> {
        db.write(
            tx -> {
              d.effects().apply(tx);
              queue.complete(tx, job);
              return null;
            });
        observer.completed(job);
        return true;
      }
      case JobResult.Retry r when !retry.exhausted(job.attempts()) -> {
        long runAt = clock.millis() + retry.delayAfter(job.attempts(), r.atLeast()).toMillis();
        db.write(
            tx -> {
              r.effects().apply(tx);
              queue.reschedule(tx, job, runAt, r.error(), r.payload());
              return null;
            });
        observer.retried(job, r.error());
        return false;
      }
      case JobResult.Retry r -> {
        bury(
            handler,
            job,
            r.payload() == null ? job : withPayload(job, r.payload()),
            r.error(),
            r.effects());
        return false;
      }
      case JobResult.Dead d -> {
        bury(handler, job, job, d.error(), d.effects());
        return false;
      }
      case JobResult.Postpone p -> {
        long runAt = clock.millis() + p.after().toMillis();
        db.write(
            tx -> {
              queue.postpone(tx, job, runAt);
              return null;
            });
        return false;
      }
    }
  }

  private void bury(JobHandler handler, Job original, Job job, String error, TxAction effects) {
    long expires = clock.millis() + dlqRetention.toMillis();
    db.write(
        tx -> {
          effects.apply(tx);
          if (handler != null) handler.onDeadLetter(tx, job, error);
          queue.bury(tx, job, error, expires);
          return null;
        });
    observer.deadLettered(original, error);
  }

  private static Job withPayload(Job j, String payload) {
    return new Job(
        j.id(),
        j.lane(),
        j.kind(),
        j.appId(),
        j.notificationId(),
        payload,
        j.attempts(),
        j.runAt(),
        j.createdAt());
  }
}
