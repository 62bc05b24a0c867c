package dev.herald.push.apns;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Keeps Jetty's, Netty's and Pushy's debug logging out of test output (and off the hot path). */
final class QuietLogs {
  private QuietLogs() {}

  static void apply() {
    for (String name : List.of("org.eclipse.jetty", "io.netty", "com.eatthepath"))
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
  }
}
