package dev.herald.queue;

import java.util.Locale;
import java.util.Optional;

/**
 * Priority lanes, each with its own claims and workers so a bulk flood never delays critical work.
 * The SLA is what the lane is sized for, not a deadline Herald enforces.
 */
public enum Lane {
  CRITICAL,
  IMPORTANT,
  BULK;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Lane of(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT));
  }

  /** A send's {@code priority}, including the aliases urgent, high, normal and low. */
  public static Optional<Lane> fromPriority(String priority) {
    return switch (priority.toLowerCase(Locale.ROOT)) {
      case "critical", "urgent" -> Optional.of(CRITICAL);
      case "important", "high", "normal" -> Optional.of(IMPORTANT);
      case "bulk", "low" -> Optional.of(BULK);
      default -> Optional.empty();
    };
  }
}
