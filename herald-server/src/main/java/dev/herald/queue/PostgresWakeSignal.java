package dev.herald.queue;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups across a cluster: enqueuing transactions {@code NOTIFY herald_jobs, '<lane>'} (see
 * {@link SqlWorkQueue}); this listens on one connection and wakes the local runners. Local wakes
 * still happen directly, so a node never waits on its own notifications.
 */
public final class PostgresWakeSignal extends LocalWakeSignal {
  private static final Logger log = LoggerFactory.getLogger(PostgresWakeSignal.class);

  private final DataSource dataSource;
  private final Thread listener;
  private volatile boolean running = true;

  public PostgresWakeSignal(DataSource dataSource) {
    this.dataSource = dataSource;
    this.listener = Thread.ofPlatform().name("herald-pg-listen").daemon().start(this::listen);
  }

  private void listen() {
    while (running) {
      try (Connection c = dataSource.getConnection()) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN herald_jobs");
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notes = pg.getNotifications(1000);
          if (notes == null) continue;
          for (PGNotification n : notes) {
            try {
              super.wake(Lane.of(n.getParameter()));
            } catch (IllegalArgumentException ignored) {
              // a lane this version does not know
            }
          }
        }
      } catch (Exception e) {
        if (!running) return;
        log.warn(
            "LISTEN connection lost ({}); reconnecting, workers fall back to their idle timeout",
            e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    listener.interrupt();
  }
}
