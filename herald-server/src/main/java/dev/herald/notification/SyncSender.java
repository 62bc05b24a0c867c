package dev.herald.notification;

import dev.herald.queue.Job;
import dev.herald.queue.JobResult;
import dev.herald.queue.NewJob;
import dev.herald.queue.RetryPolicy;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import java.time.Clock;
import java.util.List;

/**
 * The bypass-the-queue path: fan-out and the first send attempt run inside the request. What needs
 * a retry is handed to the queue like any other job, so nothing is lost if it fails.
 */
final class SyncSender {
  static final int MAX_RECIPIENTS = 100;

  private final Database db;
  private final NotificationService service;
  private final DeliveryHandler handler;
  private final WorkQueue queue;
  private final RetryPolicy retry;
  private final Clock clock;

  SyncSender(
      Database db,
      NotificationService service,
      DeliveryHandler handler,
      WorkQueue queue,
      RetryPolicy retry,
      Clock clock) {
    this.db = db;
    this.service = service;
    this.handler = handler;
    this.queue = queue;
    this.retry = retry;
    this.clock = clock;
  }

  void deliver(NotificationService.Accepted accepted) {
    Notification n = accepted.notification();
    List<NewJob> sends = n.send().audience().selectsBeyondList() ? service.fanOutNow(n) : accepted.sends();
    for (NewJob j : sends) {
      Job job =
          new Job(
              -1,
              j.lane(),
              j.kind(),
              j.appId(),
              j.notificationId(),
              j.payload(),
              1,
              j.runAt(),
              j.runAt());
      JobResult result;
      try {
        result = handler.handle(job);
      } catch (Exception e) {
        result = new JobResult.Retry(e.toString(), null, null, tx -> {});
      }
      apply(j, result);
    }
  }

  private void apply(NewJob j, JobResult result) {
    db.write(
        tx -> {
          switch (result) {
            case JobResult.Done d -> d.effects().apply(tx);
            case JobResult.Retry r -> {
              r.effects().apply(tx);
              long runAt = clock.millis() + retry.delayAfter(1, r.atLeast()).toMillis();
              String payload = r.payload() == null ? j.payload() : r.payload();
              queue.enqueue(
                  tx,
                  List.of(
                      new NewJob(
                          j.lane(), j.kind(), j.appId(), j.notificationId(), payload, runAt)));
            }
            case JobResult.Dead d -> {
              d.effects().apply(tx);
              queue.enqueue(tx, List.of(j));
            }
          }
          return null;
        });
  }
}
