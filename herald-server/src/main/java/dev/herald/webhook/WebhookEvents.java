package dev.herald.webhook;

import dev.herald.web.ApiException.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The event types an endpoint may subscribe to, and {@code "*"} for every type, present and future.
 */
final class WebhookEvents {
  static final String ALL = "*";
  static final Set<String> TYPES =
      Set.of(
          "notification.sent",
          "notification.failed",
          "notification.partial",
          "notification.clicked",
          "delivery.failed",
          "device.registered",
          "device.unregistered");
  private static final String LISTED = String.join(", ", new java.util.TreeSet<>(TYPES)) + " or *";

  private WebhookEvents() {}

  /** Problems with a subscription list; a valid one is non-empty and names known types. */
  static List<FieldError> check(List<String> events, String field) {
    List<FieldError> errors = new ArrayList<>();
    if (events == null || events.isEmpty()) {
      errors.add(new FieldError(field, "must list at least one event type: " + LISTED));
      return errors;
    }
    for (int i = 0; i < events.size(); i++) {
      String e = events.get(i);
      if (e == null || !(TYPES.contains(e) || e.equals(ALL))) {
        errors.add(new FieldError(field + "[" + i + "]", "unknown event type; use " + LISTED));
      }
    }
    return errors;
  }

  /** The list without repeats, in the order given. */
  static List<String> normalise(List<String> events) {
    return List.copyOf(new LinkedHashSet<>(events));
  }

  static boolean matches(List<String> subscribed, String type) {
    return subscribed.contains(type) || subscribed.contains(ALL);
  }
}
