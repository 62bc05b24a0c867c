package dev.herald.notification;

import java.util.Map;
import java.util.Set;

/**
 * {@code scheduled → queued → processing → sent | partial | failed}, or {@code canceled}; a
 * finished notification returns to processing when a dead letter of it is re-driven.
 */
public final class NotificationStatus {
  public static final String SCHEDULED = "scheduled";
  public static final String QUEUED = "queued";
  public static final String PROCESSING = "processing";
  public static final String SENT = "sent";
  public static final String PARTIAL = "partial";
  public static final String FAILED = "failed";
  public static final String CANCELED = "canceled";

  static final Set<String> ALL =
      Set.of(SCHEDULED, QUEUED, PROCESSING, SENT, PARTIAL, FAILED, CANCELED);
  static final Set<String> CANCELABLE = Set.of(SCHEDULED, QUEUED, PROCESSING);
  private static final Map<String, Set<String>> NEXT =
      Map.of(
          SCHEDULED, Set.of(QUEUED, PROCESSING, CANCELED),
          QUEUED, Set.of(PROCESSING, CANCELED),
          PROCESSING, Set.of(SENT, PARTIAL, FAILED, CANCELED),
          SENT, Set.of(PROCESSING),
          PARTIAL, Set.of(PROCESSING),
          FAILED, Set.of(PROCESSING),
          CANCELED, Set.of());

  private NotificationStatus() {}

  public static boolean canMove(String from, String to) {
    return NEXT.getOrDefault(from, Set.of()).contains(to);
  }

  /** The final status from the counts once nothing is pending. */
  static String outcome(long sent, long delivered, long failed) {
    if (failed == 0) return SENT;
    return sent + delivered == 0 ? FAILED : PARTIAL;
  }
}
