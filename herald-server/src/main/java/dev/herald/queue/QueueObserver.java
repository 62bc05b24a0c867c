package dev.herald.queue;

/** Hears what happens to jobs (for metrics and logs); the default hears nothing. */
public interface QueueObserver {
  QueueObserver NONE = new QueueObserver() {};

  default void completed(Job job) {}

  default void retried(Job job, String error) {}

  default void deadLettered(Job job, String error) {}
}
