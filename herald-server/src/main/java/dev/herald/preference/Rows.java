package dev.herald.preference;

import dev.herald.delivery.Delivery;

/** Planned deliveries as preferences change them: still unwritten, so copied, not updated. */
final class Rows {
  /** Deliveries turned off by the subscriber's or app's channel settings. */
  static final String OPTED_OUT = "preferences";

  /** Pending deliveries that wait for the end of the subscriber's quiet hours. */
  static final String QUIET_HOURS = "quiet_hours";

  static final String THROTTLED = "throttled";
  static final String DIGESTED = "digested";

  private Rows() {}

  /** Whether the delivery would reach its recipient: not already skipped for another reason. */
  static boolean reaches(Delivery d) {
    return d.status().equals("pending") || d.status().equals("sent");
  }

  static Delivery skipped(Delivery d, String reason) {
    return with(d, "skipped", reason);
  }

  static Delivery with(Delivery d, String status, String reason) {
    return new Delivery(
        d.id(),
        d.appId(),
        d.notificationId(),
        d.recipientKey(),
        d.subscriberId(),
        d.channel(),
        d.provider(),
        d.deviceId(),
        d.address(),
        status,
        reason,
        d.attempts(),
        d.providerMessageId(),
        d.createdAt(),
        d.updatedAt());
  }
}
