package dev.herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventBus} must do, run against each implementation. A subclass opens "nodes"
 * (bus instances as separate Herald processes would hold them) and, when the bus has a server,
 * stops and starts it.
 */
abstract class EventBusContract {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<EventBus> nodes = new ArrayList<>();

  /** A bus as one more node of the same cluster opens it. */
  protected abstract EventBus openNode();

  /** Whether two nodes share messages: false for the in-process bus. */
  protected abstract boolean crossesNodes();

  /**
   * Whether bodies may be left out: a body too big for a payload, or every body while the bus is
   * behind. The in-process bus always keeps them.
   */
  protected abstract boolean mayDropBodies();

  /** Makes the server unreachable and cuts every node's connections; false when there is none. */
  protected abstract boolean stopServer() throws Exception;

  /** Brings the server back after {@link #stopServer()}. */
  protected abstract void startServer() throws Exception;

  @AfterEach
  void closeNodes() {
    nodes.forEach(EventBus::close);
    nodes.clear();
  }

  private Recorder node() {
    EventBus bus = openNode();
    nodes.add(bus);
    Recorder r = new Recorder(bus);
    bus.listen(r);
    return r;
  }

  @Test
  void theListenerOfThePublishingNodeReceivesItsMessages() {
    Recorder a = node();

    a.bus.publish(List.of(message("app1", "u1", 1, "{\"type\":\"notification_received\"}")));

    await().atMost(WAIT).until(() -> a.received.size() == 1);
    assertThat(a.received)
        .containsExactly(message("app1", "u1", 1, "{\"type\":\"notification_received\"}"));
    assertThat(a.bus.healthy()).isTrue();
  }

  @Test
  void everyNodeReceivesWhatAnyNodePublishes() {
    assumeTrue(crossesNodes(), "one process has one node");
    Recorder a = node();
    Recorder b = node();

    a.bus.publish(List.of(message("app1", "u1", 1, "{\"from\":\"a\"}")));
    b.bus.publish(List.of(message("app1", "u2", 7, "{\"from\":\"b\"}")));

    List<BusMessage> both =
        List.of(
            message("app1", "u1", 1, "{\"from\":\"a\"}"),
            message("app1", "u2", 7, "{\"from\":\"b\"}"));
    for (Recorder r : List.of(a, b)) {
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(r.received).containsExactlyInAnyOrderElementsOf(both));
    }
  }

  @Test
  void tenThousandMessagesArriveInOrderWithNothingLost() {
    Recorder a = node();
    Recorder b = crossesNodes() ? node() : a;
    List<BusMessage> sent =
        IntStream.rangeClosed(1, 10_000)
            .mapToObj(
                i ->
                    message(
                        "app1",
                        "u" + (i % 100),
                        i,
                        "{\"type\":\"notification_received\",\"seq\":"
                            + i
                            + ",\"item\":{\"title\":\"Hello number "
                            + i
                            + "\"}}"))
            .toList();

    // As a busy writer publishes: many calls of various sizes right after each other.
    for (int from = 0; from < sent.size(); ) {
      int to = Math.min(sent.size(), from + 1 + from % 997);
      a.bus.publish(sent.subList(from, to));
      from = to;
    }

    for (Recorder r : List.of(a, b)) {
      await().atMost(WAIT).until(() -> r.received.size() >= sent.size());
      if (!mayDropBodies()) {
        assertThat(r.received).containsExactlyElementsOf(sent);
        continue;
      }
      // Every message in order; a body, when there is one, is the one sent.
      assertThat(r.received.stream().map(BusMessage::withoutBody))
          .containsExactlyElementsOf(sent.stream().map(BusMessage::withoutBody).toList());
      Iterator<BusMessage> expected = sent.iterator();
      for (BusMessage m : r.received) {
        String body = expected.next().json();
        if (m.json() != null) assertThat(m.json()).isEqualTo(body);
      }
    }
  }

  @Test
  void aBodyTooBigForTheBusArrivesWithoutItButKeepsItsSeq() {
    Recorder a = node();
    Recorder b = crossesNodes() ? node() : a;
    String big = "{\"item\":{\"body\":\"" + "é".repeat(600_000) + "\"}}";
    BusMessage small = message("app1", "u1", 41, "{\"n\":41}");
    BusMessage large = message("app1", "u1", 42, big);
    BusMessage after = message("app1", "u1", 43, "{\"n\":43}");

    a.bus.publish(List.of(small, large, after));

    BusMessage expected = mayDropBodies() ? large.withoutBody() : large;
    for (Recorder r : List.of(a, b)) {
      await().atMost(WAIT).until(() -> r.received.size() == 3);
      assertThat(r.received).containsExactly(small, expected, after);
    }
  }

  @Test
  void idsAndBodiesWithSeparatorsAndUnicodeArriveUnchanged() {
    Recorder a = node();
    Recorder b = crossesNodes() ? node() : a;
    List<BusMessage> sent =
        List.of(
            message("app\t1", "user\nwith\\breaks\0", 1, "{\"title\":\"tab\\there \\\\ \"}"),
            message("ünïcode-app", "用户-🔔", 2, "{\"title\":\"Grüße 🎉 \\u0000\"}"),
            message("app1", "u1", Long.MAX_VALUE, null));

    a.bus.publish(sent);

    for (Recorder r : List.of(a, b)) {
      await().atMost(WAIT).until(() -> r.received.size() == 3);
      assertThat(r.received).containsExactlyElementsOf(sent);
    }
  }

  @Test
  void afterTheServerReturnsListenersAreToldAndMessagesFlowAgain() throws Exception {
    Recorder a = node();
    Recorder b = node();
    assumeTrue(stopServer(), "this bus has no server to lose");
    try {
      await().atMost(WAIT).until(() -> !a.bus.healthy() && !b.bus.healthy());
      assertThat(a.reconnects.get()).isZero();
      // Lost, as the contract allows, but neither blocking nor throwing.
      a.bus.publish(List.of(message("app1", "u1", 4, "{\"during\":\"outage\"}")));
    } finally {
      startServer();
    }

    for (Recorder r : List.of(a, b)) {
      await().atMost(WAIT).until(() -> r.reconnects.get() == 1 && r.bus.healthy());
    }
    a.bus.publish(List.of(message("app1", "u1", 5, "{\"after\":\"outage\"}")));
    for (Recorder r : List.of(a, b)) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(r.received)
                      .contains(message("app1", "u1", 5, "{\"after\":\"outage\"}")));
    }
    assertThat(a.reconnects.get()).isEqualTo(1);
  }

  private static BusMessage message(String app, String subscriber, long seq, String json) {
    return new BusMessage(app, subscriber, seq, json);
  }

  private static final class Recorder implements EventBus.Listener {
    final EventBus bus;
    final Collection<BusMessage> received = new ConcurrentLinkedQueue<>();
    final AtomicInteger reconnects = new AtomicInteger();

    Recorder(EventBus bus) {
      this.bus = bus;
    }

    @Override
    public void message(BusMessage message) {
      received.add(message);
    }

    @Override
    public void reconnected() {
      reconnects.incrementAndGet();
    }
  }
}
