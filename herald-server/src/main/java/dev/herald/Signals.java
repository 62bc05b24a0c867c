package dev.herald;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handled by Herald itself rather than by JVM shutdown hooks, so a drain ends
 * with exit code 0 instead of 143.
 */
final class Signals {
  private Signals() {}

  static void onTerminate(Runnable action) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> action.run());
    }
  }
}
