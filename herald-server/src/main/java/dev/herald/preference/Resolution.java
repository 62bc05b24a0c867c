package dev.herald.preference;

import dev.herald.preference.SubscriberPreferences.CategoryChoice;

/**
 * Whether a channel is on for one subscriber and category, in this order: a locked category has
 * every channel on; else the subscriber's choice for the category; else the subscriber's global
 * opt-out; else the app's default for the category; else on. A global {@code true} is no choice at
 * all: it never turns on a channel the app's category default has off (the subscriber does that per
 * category), so a client that saves every global switch opts no one into anything.
 */
final class Resolution {
  private Resolution() {}

  /** {@code category} and {@code app} may be null: a notification without one, or not defined. */
  static boolean enabled(
      SubscriberPreferences subscriber, String category, CategorySettings app, String channel) {
    if (app != null && app.locked()) return true;
    if (category != null) {
      CategoryChoice choice = subscriber.categories().get(category);
      Boolean chosen = choice == null ? null : choice.channels().get(channel);
      if (chosen != null) return chosen;
    }
    if (Boolean.FALSE.equals(subscriber.channels().get(channel))) return false;
    Boolean byDefault = app == null ? null : app.defaultChannels().get(channel);
    return byDefault == null || byDefault;
  }

  /**
   * The digest window of one subscriber and category: none for a locked category or none at all;
   * else the subscriber's choice for the category ({@code off}: none); else the app's default.
   */
  static java.util.Optional<DigestWindow> digest(
      SubscriberPreferences subscriber, String category, CategorySettings app) {
    if (category == null || (app != null && app.locked())) return java.util.Optional.empty();
    CategoryChoice choice = subscriber.categories().get(category);
    String chosen = choice == null ? null : choice.digest();
    return DigestWindow.of(chosen != null ? chosen : app == null ? null : app.digest());
  }
}
