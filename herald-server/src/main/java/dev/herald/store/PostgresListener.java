package dev.herald.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that {@code LISTEN}s on PostgreSQL channels and hands every notification to
 * a handler on its own thread. When the connection dies it reconnects with growing delays and tells
 * the handler, which may have missed notifications meanwhile. A connection that has been quiet for
 * a while is pinged, so one silently cut by the network is noticed too.
 */
public final class PostgresListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresListener.class);
  // How long one wait for notifications lasts: bounds how long close() takes.
  private static final int WAIT_MILLIS = 1_000;
  private static final long PING_AFTER_NANOS = 30_000_000_000L;
  private static final int PING_TIMEOUT_MILLIS = 10_000;
  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long MAX_RETRY_MILLIS = 5_000;

  /** Opens a new connection for listening. */
  public interface Connector {
    Connection open() throws SQLException;
  }

  /** Called on the listening thread: must not block. */
  public interface Handler {
    void notification(String channel, String payload);

    /** Listening again after the connection was lost; notifications meanwhile are lost. */
    default void reconnected() {}
  }

  private final Connector connector;
  private final List<String> channels;
  private final Handler handler;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean listening;

  /**
   * Starts listening on {@code channels} (plain identifiers) at once; throws {@link StoreException}
   * when the first connection fails.
   */
  public PostgresListener(Connector connector, String name, List<String> channels, Handler h) {
    this.connector = connector;
    this.channels = List.copyOf(channels);
    this.handler = h;
    Connection first;
    try {
      first = connect();
    } catch (SQLException e) {
      throw new StoreException("Cannot LISTEN on " + channels + ": " + e.getMessage(), e);
    }
    this.thread =
        Thread.ofPlatform().name("herald-listen-" + name).daemon().start(() -> run(first));
  }

  /** Whether the listening connection is up. */
  public boolean listening() {
    return listening;
  }

  private Connection connect() throws SQLException {
    Connection c = connector.open();
    try (Statement s = c.createStatement()) {
      // Reads on a connection cut without a reset then fail instead of hanging.
      c.setNetworkTimeout(Runnable::run, PING_TIMEOUT_MILLIS);
      for (String channel : channels) s.execute("LISTEN " + channel);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    listening = true;
    return c;
  }

  private void run(Connection first) {
    Connection c = first;
    long retry = FIRST_RETRY_MILLIS;
    while (running) {
      try {
        if (c == null) {
          c = connect();
          retry = FIRST_RETRY_MILLIS;
          log.info("Listening on {} again", channels);
          reconnected();
        }
        receive(c);
      } catch (SQLException | RuntimeException e) {
        boolean lost = c != null;
        listening = false;
        closeQuietly(c);
        c = null;
        if (!running) break;
        // One warning per outage; the attempts during it only at debug level.
        if (lost)
          log.warn("LISTEN connection on {} lost ({}); reconnecting", channels, e.toString());
        else log.debug("Reconnecting LISTEN failed ({}); next try in {} ms", e.toString(), retry);
        try {
          Thread.sleep(retry);
        } catch (InterruptedException ie) {
          break;
        }
        retry = Math.min(retry * 2, MAX_RETRY_MILLIS);
      }
    }
    listening = false;
    closeQuietly(c);
  }

  private void reconnected() {
    try {
      handler.reconnected();
    } catch (RuntimeException e) {
      log.error("Handling the reconnect on {} failed; listening goes on", channels, e);
    }
  }

  /** Hands notifications on until the connection fails or the listener closes. */
  private void receive(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long lastHeard = System.nanoTime();
    while (running) {
      PGNotification[] notes = pg.getNotifications(WAIT_MILLIS);
      if (notes != null && notes.length > 0) {
        lastHeard = System.nanoTime();
        for (PGNotification n : notes) deliver(n);
      } else if (System.nanoTime() - lastHeard > PING_AFTER_NANOS) {
        ping(c);
        lastHeard = System.nanoTime();
      }
    }
  }

  private void deliver(PGNotification n) {
    try {
      handler.notification(n.getName(), n.getParameter());
    } catch (RuntimeException e) {
      log.error("Handling a notification on {} failed; listening goes on", n.getName(), e);
    }
  }

  private static void ping(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      // already broken
    }
  }

  /** Stops listening and closes the connection; waits for the thread a few seconds at most. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
