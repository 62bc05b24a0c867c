package dev.herald.delivery;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A delivery's states and, in one place, the moves allowed between them. */
public enum DeliveryStatus {
  PENDING,
  SENT,
  DELIVERED,
  OPENED,
  FAILED,
  SKIPPED,
  CANCELED,
  DEAD;

  private static final Map<DeliveryStatus, Set<DeliveryStatus>> NEXT =
      Map.of(
          PENDING, EnumSet.of(SENT, FAILED, SKIPPED, CANCELED, DEAD),
          SENT, EnumSet.of(DELIVERED, OPENED, FAILED),
          DELIVERED, EnumSet.of(OPENED),
          OPENED, EnumSet.noneOf(DeliveryStatus.class),
          FAILED, EnumSet.noneOf(DeliveryStatus.class),
          SKIPPED, EnumSet.noneOf(DeliveryStatus.class),
          CANCELED, EnumSet.noneOf(DeliveryStatus.class),
          DEAD, EnumSet.of(PENDING));

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DeliveryStatus of(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT));
  }

  public boolean canMoveTo(DeliveryStatus next) {
    return NEXT.get(this).contains(next);
  }

  /** Throws if the move is not allowed; used where a transition is decided in code. */
  public DeliveryStatus moveTo(DeliveryStatus next) {
    if (!canMoveTo(next))
      throw new IllegalStateException("delivery cannot go from " + key() + " to " + next.key());
    return next;
  }
}
