package dev.herald.queue;

/** Jobs of one lane by state, as {@code /v1/stats} and the queue gauge show them. */
public record QueueCounts(long waiting, long active, long delayed, long failed, long completed) {}
