package dev.herald.realtime;

import dev.herald.inbox.InboxEvent;
import dev.herald.inbox.InboxEventSink;
import dev.herald.web.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands committed inbox events to the bus from its own thread, so the database writer that
 * committed them never waits for JSON or the network. In order: the bus sees events in commit
 * order. With an in-process bus, events of subscribers with no connection here are skipped before
 * any JSON is built (a fan-out to many offline subscribers costs nothing more).
 */
public final class EventPublisher implements InboxEventSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
  private static final int MAX_BATCH = 2_000;

  private final EventBus bus;
  private final BiPredicate<String, String> wanted;
  private final LinkedBlockingQueue<List<InboxEvent>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  /**
   * @param wanted which subscribers' events to publish at all (everyone's on a shared bus)
   */
  public EventPublisher(EventBus bus, BiPredicate<String, String> wanted) {
    this.bus = bus;
    this.wanted = wanted;
    this.thread = Thread.ofVirtual().name("herald-event-publisher").start(this::run);
  }

  @Override
  public void committed(List<InboxEvent> events) {
    if (!events.isEmpty()) queue.add(events);
  }

  private void run() {
    List<List<InboxEvent>> drained = new ArrayList<>();
    while (true) {
      try {
        drained.add(queue.take());
        queue.drainTo(drained);
        List<BusMessage> out = new ArrayList<>();
        for (List<InboxEvent> events : drained) {
          for (InboxEvent e : events) {
            if (!wanted.test(e.appId(), e.subscriberId())) continue;
            out.add(new BusMessage(e.appId(), e.subscriberId(), e.seq(), Json.write(e.view())));
            if (out.size() >= MAX_BATCH) {
              bus.publish(out);
              out = new ArrayList<>();
            }
          }
        }
        drained.clear();
        if (!out.isEmpty()) bus.publish(out);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        drained.clear();
        log.warn(
            "Publishing inbox events failed; connections catch up from storage on the next event",
            e);
      }
    }
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
