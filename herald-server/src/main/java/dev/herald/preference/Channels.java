package dev.herald.preference;

import java.util.List;

/** The channels a subscriber can turn on or off; {@code in_app} (the inbox) is one of them. */
public final class Channels {
  public static final List<String> ALL = List.of("email", "in_app", "push", "sms");

  private Channels() {}

  static String allNamed() {
    return String.join(", ", ALL);
  }
}
