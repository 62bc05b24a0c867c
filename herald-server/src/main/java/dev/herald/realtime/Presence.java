package dev.herald.realtime;

import dev.herald.store.Database;
import dev.herald.store.Dialect;
import dev.herald.store.Ids;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which subscribers hold a live connection on any node. Each node writes rows for its own
 * subscribers and refreshes a heartbeat; a node that stops refreshing (it crashed) no longer
 * counts, and its rows are swept. Writes are batched on one thread and record the gateway's state
 * at write time, so a quick disconnect and reconnect can never leave a wrong row behind.
 */
public final class Presence implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Presence.class);
  static final Duration HEARTBEAT = Duration.ofSeconds(10);
  static final Duration STALE = Duration.ofSeconds(30);

  private final Database db;
  private final Clock clock;
  private final String nodeId;
  private final Set<String> changed = new LinkedHashSet<>();
  private volatile BiPredicate<String, String> connected = (a, s) -> false;
  private Thread writer;
  private volatile boolean closed;

  public Presence(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.nodeId = new Ids(clock).next();
  }

  /** Starts the writer; on SQLite (one process per file) rows of earlier runs are cleared first. */
  public Presence start(BiPredicate<String, String> connected) {
    this.connected = connected;
    db.write(
        tx -> {
          if (tx.dialect() == Dialect.SQLITE) {
            tx.handle().execute("DELETE FROM presence");
            tx.handle().execute("DELETE FROM gateway_nodes");
          }
          beat(tx.handle());
          return null;
        });
    writer = Thread.ofVirtual().name("herald-presence").start(this::run);
    return this;
  }

  void changed(String appId, String subscriberId) {
    synchronized (changed) {
      changed.add(appId + '\n' + subscriberId);
      changed.notifyAll();
    }
  }

  /** Whether any live node holds a connection of the subscriber. */
  public boolean online(String appId, String subscriberId) {
    if (connected.test(appId, subscriberId)) return true;
    return db.read(
        h ->
            h.createQuery(
                        "SELECT COUNT(*) FROM presence p JOIN gateway_nodes n ON n.node_id = p.node_id"
                            + " WHERE p.app_id = :app AND p.subscriber_id = :sub AND n.seen_at > :fresh")
                    .bind("app", appId)
                    .bind("sub", subscriberId)
                    .bind("fresh", clock.millis() - STALE.toMillis())
                    .mapTo(Long.class)
                    .one()
                > 0);
  }

  private void run() {
    long nextBeat = 0;
    while (!closed) {
      try {
        List<String> keys;
        synchronized (changed) {
          long wait = nextBeat - System.currentTimeMillis();
          if (changed.isEmpty() && wait > 0) changed.wait(wait);
          keys = List.copyOf(changed);
          changed.clear();
        }
        boolean beat = System.currentTimeMillis() >= nextBeat;
        if (keys.isEmpty() && !beat) continue;
        db.write(
            tx -> {
              write(tx.handle(), keys);
              if (beat) beat(tx.handle());
              return null;
            });
        if (beat) nextBeat = System.currentTimeMillis() + HEARTBEAT.toMillis();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Presence update failed; retrying", e);
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void write(org.jdbi.v3.core.Handle h, List<String> keys) {
    if (keys.isEmpty()) return;
    PreparedBatch on =
        h.prepareBatch(
            "INSERT INTO presence (node_id, app_id, subscriber_id) VALUES (:node, :app, :sub) ON CONFLICT DO NOTHING");
    PreparedBatch off =
        h.prepareBatch(
            "DELETE FROM presence WHERE node_id = :node AND app_id = :app AND subscriber_id = :sub");
    int ons = 0, offs = 0;
    for (String key : keys) {
      String[] parts = key.split("\n", 2);
      boolean isOn = connected.test(parts[0], parts[1]);
      (isOn ? on : off).bind("node", nodeId).bind("app", parts[0]).bind("sub", parts[1]).add();
      if (isOn) ons++;
      else offs++;
    }
    if (ons > 0) on.execute();
    if (offs > 0) off.execute();
  }

  /** Refreshes this node's heartbeat and sweeps nodes that stopped refreshing theirs. */
  private void beat(org.jdbi.v3.core.Handle h) {
    long now = clock.millis();
    h.createUpdate(
            "INSERT INTO gateway_nodes (node_id, seen_at) VALUES (:node, :now)"
                + " ON CONFLICT (node_id) DO UPDATE SET seen_at = excluded.seen_at")
        .bind("node", nodeId)
        .bind("now", now)
        .execute();
    long stale = now - 10 * STALE.toMillis();
    h.createUpdate(
            "DELETE FROM presence WHERE node_id IN (SELECT node_id FROM gateway_nodes WHERE seen_at < :stale)")
        .bind("stale", stale)
        .execute();
    h.createUpdate("DELETE FROM gateway_nodes WHERE seen_at < :stale")
        .bind("stale", stale)
        .execute();
  }

  /** Removes this node's rows: its connections are gone. */
  @Override
  public void close() {
    closed = true;
    if (writer != null) writer.interrupt();
    try {
      db.write(
          tx -> {
            tx.handle()
                .createUpdate("DELETE FROM presence WHERE node_id = :node")
                .bind("node", nodeId)
                .execute();
            tx.handle()
                .createUpdate("DELETE FROM gateway_nodes WHERE node_id = :node")
                .bind("node", nodeId)
                .execute();
            return null;
          });
    } catch (RuntimeException e) {
      log.debug("Could not clear presence at shutdown", e);
    }
  }
}
