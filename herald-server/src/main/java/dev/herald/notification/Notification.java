package dev.herald.notification;

/** A notification row: its send, its status, and delivery counts kept in step with deliveries. */
public record Notification(
    String id,
    String appId,
    String status,
    String lane,
    String category,
    Send send,
    String idempotencyKey,
    String requestHash,
    Long sendAt,
    String fanoutCursor,
    boolean fanoutDone,
    long recipients,
    Counts counts,
    long createdAt,
    long updatedAt,
    Long finishedAt) {

  /** The same notification with another send (an escalation step plans its channel with it). */
  Notification withSend(Send other) {
    return new Notification(
        id,
        appId,
        status,
        lane,
        category,
        other,
        idempotencyKey,
        requestHash,
        sendAt,
        fanoutCursor,
        fanoutDone,
        recipients,
        counts,
        createdAt,
        updatedAt,
        finishedAt);
  }

  /** Deliveries by outcome; {@code total} is their sum. */
  public record Counts(
      long total,
      long pending,
      long sent,
      long delivered,
      long failed,
      long skipped,
      long canceled) {}
}
