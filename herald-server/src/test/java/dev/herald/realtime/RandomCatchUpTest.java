package dev.herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.LiveClient;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * 1,000 inbox events while three clients connect, read for a random while and drop their sockets at
 * random moments, each reconnecting with the last seq it saw: every client ends with every event
 * exactly once, in seq order, the same as the stored log.
 */
class RandomCatchUpTest {
  static final int EVENTS = 1_000;
  static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void everyClientEndsWithEveryEventExactlyOnceInOrder() throws Exception {
    try (TestServer server = TestServer.start()) {
      ApiClient api = server.api();
      api.put("/v1/subscribers/rnd", Map.of());
      String token = api.post("/v1/subscribers/rnd/token", Map.of()).json().get("token").asString();
      AtomicBoolean producing = new AtomicBoolean(true);
      List<Client> clients = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Client c = new Client(server.baseUrl(), token, new Random(100 + i));
        clients.add(c);
        threads.add(
            Thread.ofPlatform().name("catch-up-client-" + i).start(() -> c.churn(producing)));
      }

      long produced = produce(api, new Random(7));
      producing.set(false);
      for (Thread t : threads) t.join(60_000);

      List<Long> all = LongStream.rangeClosed(1, EVENTS).boxed().toList();
      assertThat(produced).isEqualTo(EVENTS);
      List<String> stored = new Client(server.baseUrl(), token, new Random(1)).finish();
      assertThat(stored).hasSize(EVENTS);
      for (Client c : clients) {
        List<String> seen = c.finish();
        assertThat(c.seqs).as("seqs of a client").isEqualTo(all);
        assertThat(seen).as("events of a client").isEqualTo(stored);
        assertThat(c.reconnects).as("reconnects").isGreaterThan(3);
      }
    }
  }

  /** Sends notifications and toggles items until the inbox has recorded exactly {@link #EVENTS}. */
  static long produce(ApiClient api, Random random) throws InterruptedException {
    long events = 0;
    while (events < EVENTS) {
      int dice = random.nextInt(10);
      if (dice < 7 || events == 0) {
        var r =
            api.post(
                "/v1/notifications",
                Map.of(
                    "to",
                    Map.of("subscribers", List.of("rnd")),
                    "channels",
                    List.of("in_app"),
                    "title",
                    "n" + events));
        assertThat(r.status()).isEqualTo(202);
        events++;
      } else {
        JsonNode first = api.get("/v1/inbox?subscriber_id=rnd&limit=1").json().get("data").get(0);
        String action = first.get("read_at").isNull() ? "read" : "unread";
        var r =
            api.post(
                "/v1/inbox/" + first.get("id").asString() + "/" + action + "?subscriber_id=rnd",
                null);
        assertThat(r.status()).isEqualTo(200);
        events++;
      }
      if (random.nextInt(20) == 0) Thread.sleep(random.nextInt(15));
    }
    return events;
  }

  static final class Client {
    final String baseUrl;
    final String token;
    final Random random;
    final List<Long> seqs = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    int reconnects;

    Client(String baseUrl, String token, Random random) {
      this.baseUrl = baseUrl;
      this.token = token;
      this.random = random;
    }

    long last() {
      return seqs.isEmpty() ? 0 : seqs.getLast();
    }

    void churn(AtomicBoolean producing) {
      while (producing.get()) {
        LiveClient live = LiveClient.connect(baseUrl, "token=" + token + "&since=" + last());
        reconnects++;
        long until = System.nanoTime() + Duration.ofMillis(random.nextInt(250)).toNanos();
        while (System.nanoTime() < until) {
          for (Map<String, Object> m : live.drain()) record(m);
          sleep(5);
        }
        for (Map<String, Object> m : live.drain()) record(m);
        live.close(); // abrupt: whatever was still in flight is simply not seen
        sleep(random.nextInt(60));
      }
    }

    /** Connects once more from the last seq and reads until live; answers every event seen. */
    List<String> finish() {
      try (LiveClient live = LiveClient.connect(baseUrl, "token=" + token + "&since=" + last())) {
        for (Map<String, Object> m : live.until("ready", WAIT)) record(m);
      }
      return events;
    }

    private void record(Map<String, Object> m) {
      Object type = m.get("type");
      if (!(m.get("seq") instanceof Number n) || "ready".equals(type) || "heartbeat".equals(type))
        return;
      seqs.add(n.longValue());
      @SuppressWarnings("unchecked")
      Map<String, Object> item = (Map<String, Object>) m.get("item");
      events.add(
          n + " " + type + " " + (item == null ? "" : item.get("id")) + " " + m.get("unread"));
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
