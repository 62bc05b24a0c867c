package dev.herald.webhook;

import dev.herald.queue.Lane;
import dev.herald.queue.NewJob;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.web.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns committed outbox events into webhook jobs: one per event and enabled endpoint that
 * subscribes to its type, created in the transaction that marks the events published (so an event
 * is relayed once, even with relays on several nodes). Woken after each commit that records an
 * event; a slow sweep catches events recorded on other nodes or left by a crash. Events no endpoint
 * wants are simply marked published.
 */
final class OutboxRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  static final int BATCH = 500;
  // Bounds the delay for events recorded on a node without a relay (role api) or missed wake-ups.
  static final long SWEEP_MILLIS = 5_000;

  private final Database db;
  private final OutboxEvents events;
  private final WebhookStore webhooks;
  private final WorkQueue queue;
  private final Clock clock;
  private final Object lock = new Object();
  private boolean woken;
  private volatile boolean running;
  private Thread thread;

  OutboxRelay(
      Database db, OutboxEvents events, WebhookStore webhooks, WorkQueue queue, Clock clock) {
    this.db = db;
    this.events = events;
    this.webhooks = webhooks;
    this.queue = queue;
    this.clock = clock;
  }

  /** Called after a transaction that recorded events commits; cheap, never blocks. */
  void wake() {
    synchronized (lock) {
      woken = true;
      lock.notifyAll();
    }
  }

  /** Starts relaying, beginning with whatever a previous run left unpublished. */
  void start() {
    running = true;
    woken = true;
    thread = Thread.ofPlatform().name("herald-webhook-relay").daemon().start(this::loop);
  }

  private void loop() {
    while (running) {
      try {
        awaitWake();
        while (running && relayOnce() == BATCH) {
          // a full batch: more may be waiting
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("Webhook relay failed; it will keep running", e);
      }
    }
  }

  private void awaitWake() throws InterruptedException {
    synchronized (lock) {
      if (!woken) lock.wait(SWEEP_MILLIS);
      woken = false;
    }
  }

  /** Relays one batch of unpublished events; answers how many it took. */
  int relayOnce() {
    return db.write(
        tx -> {
          List<OutboxEvents.Pending> batch = events.claimPending(tx, BATCH);
          if (batch.isEmpty()) return 0;
          Map<String, List<Webhook>> endpoints =
              webhooks
                  .enabled(
                      tx.handle(),
                      batch.stream().map(OutboxEvents.Pending::appId).distinct().toList())
                  .stream()
                  .collect(Collectors.groupingBy(Webhook::appId));
          long now = clock.millis();
          List<NewJob> jobs = new ArrayList<>();
          for (OutboxEvents.Pending e : batch) {
            for (Webhook w : endpoints.getOrDefault(e.appId(), List.of())) {
              if (WebhookEvents.matches(w.events(), e.type())) {
                String payload = Json.write(new WebhookSender.Payload(w.id(), e.id()));
                jobs.add(
                    new NewJob(Lane.IMPORTANT, WebhookSender.KIND, e.appId(), null, payload, now));
              }
            }
          }
          queue.enqueue(tx, jobs);
          events.markPublished(tx, batch.stream().map(OutboxEvents.Pending::id).toList(), now);
          return batch.size();
        });
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
