package dev.herald.push.webpush;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Keeps Jetty's debug logging out of test output and off the hot path. */
final class QuietLogs {
  private QuietLogs() {}

  static void apply() {
    ((Logger) LoggerFactory.getLogger("org.eclipse.jetty")).setLevel(Level.WARN);
  }
}
