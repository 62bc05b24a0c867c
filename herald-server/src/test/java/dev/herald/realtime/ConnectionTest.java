package dev.herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.inbox.Inbox;
import dev.herald.inbox.InboxEvents;
import dev.herald.inbox.InboxItem;
import dev.herald.inbox.InboxRepository;
import dev.herald.store.Database;
import dev.herald.testing.TestDatabase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pump's ordering rules and its bounded buffer, with a transport the test controls. */
class ConnectionTest {
  static TestDatabase database;
  static Database db;
  static Inbox inbox;

  @BeforeAll
  static void open() {
    database = TestDatabase.sqlite();
    db = database.open();
    inbox = new Inbox(new InboxRepository(db), new InboxEvents(db), Clock.systemUTC());
  }

  @AfterAll
  static void close() {
    db.close();
    database.close();
  }

  /** Records what was written; blocks every write until released when {@code gate} is set. */
  static final class Recording implements Transport {
    final List<String> written = new ArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile CountDownLatch gate;
    volatile boolean resync;

    @Override
    public void event(long seq, String type, String json) throws IOException {
      write(seq + ":" + type);
    }

    @Override
    public void control(String type, String json) throws IOException {
      write(type);
    }

    @Override
    public void heartbeat(long seq) throws IOException {
      write("heartbeat");
    }

    @Override
    public void close(boolean resync, String reason) {
      this.resync |= resync;
      closed.countDown();
    }

    private void write(String what) throws IOException {
      CountDownLatch g = gate;
      try {
        if (g != null) g.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      synchronized (written) {
        written.add(what);
      }
    }

    List<String> written() {
      synchronized (written) {
        return List.copyOf(written);
      }
    }
  }

  static void deliver(String subscriber, int n) {
    List<InboxItem> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(
          new InboxItem(
              subscriber + "-" + System.nanoTime() + "-" + i,
              "app",
              subscriber,
              "n-" + System.nanoTime() + "-" + i,
              "t",
              "b",
              null,
              null,
              null,
              null,
              null,
              null,
              System.currentTimeMillis(),
              null));
    }
    db.write(tx -> inbox.deliver(tx, items));
  }

  static Thread pump(Connection c, Long since) {
    return Thread.ofVirtual().start(() -> c.pump(since, 0));
  }

  @Test
  void duplicatesAreDroppedAndGapsAreFilledFromStorageInOrder() throws Exception {
    deliver("gaps", 5);
    Recording t = new Recording();
    Connection c =
        new Connection(
            "app", "gaps", t, inbox.events(), (a, s, n) -> {}, 16, Duration.ofSeconds(30));
    Thread pump = pump(c, 0L);
    awaitSize(t, 6); // the replay and "ready" come first, before anything newer is committed
    c.offer(new BusMessage("app", "gaps", 3, null)); // already replayed: dropped
    deliver("gaps", 3); // seqs 6..8, of which the bus lost 6 and 7
    c.offer(new BusMessage("app", "gaps", 8, null));
    c.offer(new BusMessage("app", "gaps", 8, null));
    awaitSize(t, 9);
    c.stop();
    pump.join(5_000);
    assertThat(t.written())
        .containsExactly(
            "1:notification_received",
            "2:notification_received",
            "3:notification_received",
            "4:notification_received",
            "5:notification_received",
            "ready",
            "6:notification_received",
            "7:notification_received",
            "8:notification_received");
  }

  @Test
  void aClientTooSlowToDrainItsBufferIsToldToResyncAndDisconnected() throws Exception {
    Recording t = new Recording();
    t.gate = new CountDownLatch(1);
    Connection c =
        new Connection(
            "app", "slow", t, inbox.events(), (a, s, n) -> {}, 8, Duration.ofSeconds(30));
    Thread pump = pump(c, null); // blocks writing "ready"
    for (int seq = 1; seq <= 20; seq++)
      c.offer(new BusMessage("app", "slow", seq, "{\"type\":\"notification_received\"}"));
    t.gate.countDown();
    assertThat(t.closed.await(5, TimeUnit.SECONDS)).isTrue();
    pump.join(5_000);
    assertThat(t.written()).containsExactly("ready", "resync");
    assertThat(t.resync).isTrue();
  }

  @Test
  void replayFromASeqNoLongerKeptAsksForAResync() throws Exception {
    deliver("purged", 3);
    db.write(
        tx ->
            tx.handle()
                .execute("DELETE FROM inbox_events WHERE subscriber_id = 'purged' AND seq = 2"));
    Recording t = new Recording();
    Connection c =
        new Connection(
            "app", "purged", t, inbox.events(), (a, s, n) -> {}, 8, Duration.ofSeconds(30));
    pump(c, 1L).join(5_000);
    assertThat(t.written()).containsExactly("resync");
    assertThat(t.resync).isTrue();
  }

  @Test
  void anIdleConnectionGetsHeartbeats() throws Exception {
    Recording t = new Recording();
    Connection c =
        new Connection("app", "idle", t, inbox.events(), (a, s, n) -> {}, 8, Duration.ofMillis(50));
    Thread pump = pump(c, null);
    awaitSize(t, 3);
    c.stop();
    pump.join(5_000);
    assertThat(t.written().subList(0, 3)).containsExactly("ready", "heartbeat", "heartbeat");
  }

  static void awaitSize(Recording t, int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (t.written().size() < n && System.nanoTime() < end) Thread.sleep(10);
    assertThat(t.written()).hasSizeGreaterThanOrEqualTo(n);
  }
}
