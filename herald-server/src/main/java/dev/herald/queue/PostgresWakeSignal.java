package dev.herald.queue;

import dev.herald.store.Database;
import dev.herald.store.PostgresListener;
import java.util.List;

/**
 * Wake-ups across a cluster: enqueuing transactions {@code NOTIFY herald_jobs, '<lane>'} (see
 * {@link SqlWorkQueue}); this listens on one connection and wakes the local runners. Local wakes
 * still happen directly, so a node never waits on its own notifications; while the connection is
 * down, workers fall back to their idle timeout.
 */
public final class PostgresWakeSignal extends LocalWakeSignal {
  private final PostgresListener listener;

  public PostgresWakeSignal(Database db) {
    this.listener =
        new PostgresListener(
            db::openDedicatedConnection,
            "jobs",
            List.of("herald_jobs"),
            (channel, lane) -> {
              try {
                wake(Lane.of(lane));
              } catch (IllegalArgumentException ignored) {
                // a lane this version does not know
              }
            });
  }

  @Override
  public void close() {
    listener.close();
  }
}
