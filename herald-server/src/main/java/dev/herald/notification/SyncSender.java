package dev.herald.notification;

import dev.herald.queue.Job;
import dev.herald.queue.JobRunner;

/**
 * The bypass-the-queue path: a sync send is fanned out while it is accepted, and its send jobs are
 * committed leased to this request, which runs them at once. Retries then follow the backoff like
 * any job; if the process dies mid-request, the leases run out and workers finish the sends.
 */
final class SyncSender {
  static final int MAX_RECIPIENTS = 100;

  private final JobRunner runner;

  SyncSender(JobRunner runner) {
    this.runner = runner;
  }

  void deliver(NotificationService.Accepted accepted) {
    for (Job job : accepted.leasedSends()) runner.run(job);
  }
}
