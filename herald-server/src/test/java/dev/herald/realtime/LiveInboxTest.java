package dev.herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.LiveClient;
import dev.herald.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live inbox through its public interface: WebSocket and SSE against a running Herald. */
class LiveInboxTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server =
        TestServer.builder()
            .env("HERALD_CORS_ORIGINS", "https://app.example.com")
            .env("HERALD_MAX_CONNECTIONS_PER_SUBSCRIBER", "2")
            .start();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String token(String subscriber) {
    api.put("/v1/subscribers/" + subscriber, Map.of());
    return api.post("/v1/subscribers/" + subscriber + "/token", Map.of())
        .json()
        .get("token")
        .asString();
  }

  static String send(String subscriber, String title) {
    var r =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of(subscriber)),
                "channels",
                List.of("in_app"),
                "title",
                title));
    assertThat(r.status()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> item(Map<String, Object> event) {
    return (Map<String, Object>) event.get("item");
  }

  static long seq(Map<String, Object> m) {
    return ((Number) m.get("seq")).longValue();
  }

  @Test
  void aNotificationArrivesLiveAndAChangeOnOneConnectionReachesTheOther() {
    String token = token("live-a");
    try (LiveClient phone = LiveClient.connect(server.baseUrl(), "token=" + token);
        LiveClient laptop = LiveClient.connect(server.baseUrl(), "token=" + token)) {
      assertThat(phone.nextEvent(WAIT))
          .containsEntry("type", "ready")
          .containsEntry("seq", 0)
          .containsEntry("unread", 0);
      assertThat(laptop.nextEvent(WAIT)).containsEntry("type", "ready");

      String id = send("live-a", "Hello");
      Map<String, Object> received = phone.nextEvent(WAIT);
      assertThat(received)
          .containsEntry("type", "notification_received")
          .containsEntry("seq", 1)
          .containsEntry("unread", 1);
      assertThat(item(received))
          .containsEntry("notification_id", id)
          .containsEntry("title", "Hello");
      assertThat(laptop.nextEvent(WAIT)).containsEntry("seq", 1);

      String itemId = (String) item(received).get("id");
      laptop.send(Map.of("type", "read", "id", itemId));
      for (LiveClient c : List.of(phone, laptop)) {
        Map<String, Object> updated = c.nextEvent(WAIT);
        assertThat(updated)
            .containsEntry("type", "notification_updated")
            .containsEntry("seq", 2)
            .containsEntry("unread", 0);
        assertThat(item(updated).get("read_at")).isNotNull();
      }

      var rest = api.post("/v1/inbox/" + itemId + "/archive?subscriber_id=live-a", null);
      assertThat(rest.status()).isEqualTo(200);
      assertThat(rest.json().get("seq").asLong()).isEqualTo(3);
      assertThat(phone.nextEvent(WAIT))
          .containsEntry("type", "notification_archived")
          .containsEntry("seq", 3);
      assertThat(api.get("/v1/subscribers/live-a").json().get("online").asBoolean()).isTrue();
    }
    await()
        .atMost(WAIT)
        .until(() -> !api.get("/v1/subscribers/live-a").json().get("online").asBoolean());
  }

  @Test
  void reconnectingWithSinceReplaysWhatWasMissedThenGoesLive() {
    String token = token("live-b");
    send("live-b", "one");
    send("live-b", "two");
    send("live-b", "three");
    try (LiveClient c = LiveClient.connect(server.baseUrl(), "token=" + token + "&since=1")) {
      List<Map<String, Object>> replay = c.until("ready", WAIT);
      assertThat(replay)
          .extracting(m -> m.get("type"))
          .containsExactly("notification_received", "notification_received", "ready");
      assertThat(replay.subList(0, 2)).extracting(LiveInboxTest::seq).containsExactly(2L, 3L);
      assertThat(replay.subList(0, 2))
          .extracting(m -> item(m).get("title"))
          .containsExactly("two", "three");
      assertThat(replay.get(2)).containsEntry("seq", 3).containsEntry("unread", 3);
      send("live-b", "four");
      assertThat(c.nextEvent(WAIT)).containsEntry("seq", 4);
    }
  }

  @Test
  void aSeqAheadOfTheInboxIsToldToResync() {
    String token = token("live-c");
    try (LiveClient c = LiveClient.connect(server.baseUrl(), "token=" + token + "&since=99")) {
      assertThat(c.nextEvent(WAIT)).containsEntry("type", "resync");
      assertThat(c.closeCode(WAIT)).isEqualTo(4000);
    }
  }

  @Test
  void inAppDeliveriesBecomeDeliveredOnceALiveConnectionReceivedThem() {
    String token = token("live-d");
    String offline = send("live-d", "while offline");
    try (LiveClient c = LiveClient.connect(server.baseUrl(), "token=" + token)) {
      c.until("ready", WAIT);
      String online = send("live-d", "while online");
      c.nextEvent(WAIT);
      await().atMost(WAIT).until(() -> status(online).equals("delivered"));
      assertThat(
              api.get("/v1/notifications/" + online).json().get("counts").get("delivered").asLong())
          .isEqualTo(1);
    }
    assertThat(status(offline)).isEqualTo("sent");
  }

  static String status(String notificationId) {
    return api.get("/v1/notifications/" + notificationId + "/deliveries")
        .json()
        .get("data")
        .get(0)
        .get("status")
        .asString();
  }

  @Test
  void serverSentEventsReplayFromLastEventIdThenStreamLive() throws Exception {
    String token = token("live-e");
    send("live-e", "first");
    send("live-e", "second");
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/inbox/events?token=" + token))
            .header("Last-Event-ID", "1")
            .build();
    HttpResponse<java.io.InputStream> res =
        HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      List<String> seen = new ArrayList<>();
      readFrames(lines, seen, 2);
      send("live-e", "third");
      readFrames(lines, seen, 1);
      assertThat(seen.get(0))
          .startsWith(
              "id: 2\nevent: notification_received\ndata: {\"type\":\"notification_received\",\"seq\":2");
      assertThat(seen.get(1)).startsWith("event: ready\ndata: ");
      assertThat(seen.get(2))
          .startsWith("id: 3\nevent: notification_received\n")
          .contains("\"title\":\"third\"");
    }
  }

  /** Reads {@code n} SSE frames (blank-line separated) into {@code out}. */
  static void readFrames(BufferedReader lines, List<String> out, int n) throws Exception {
    StringBuilder frame = new StringBuilder();
    int read = 0;
    while (read < n) {
      String line = lines.readLine();
      if (line == null) throw new AssertionError("stream ended");
      if (line.isEmpty()) {
        if (!frame.isEmpty() && !frame.toString().startsWith(":")) {
          out.add(frame.toString());
          read++;
        }
        frame.setLength(0);
      } else {
        frame.append(line).append('\n');
      }
    }
  }

  @Test
  void credentialsOriginAndSinceAreCheckedBeforeTheUpgrade() {
    String token = token("live-f");
    assertThat(upgradeFails("token=not-a-token", Map.of())).isEqualTo("status 401");
    assertThat(upgradeFails("token=" + token, Map.of("Origin", "https://evil.example.com")))
        .isEqualTo("status 403");
    assertThat(upgradeFails("token=" + token + "&since=-4", Map.of())).isEqualTo("status 400");
    try (LiveClient ok =
        LiveClient.connect(
            server.baseUrl(), "token=" + token, Map.of("Origin", "https://app.example.com"))) {
      assertThat(ok.nextEvent(WAIT)).containsEntry("type", "ready");
    }
    var sse = server.anonymous().get("/v1/inbox/events?token=nope");
    assertThat(sse.status()).isEqualTo(401);
    assertThat(sse.contentType()).startsWith("application/problem+json");
  }

  static String upgradeFails(String query, Map<String, String> headers) {
    try {
      LiveClient.connect(server.baseUrl(), query, headers).close();
      return "connected";
    } catch (CompletionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h)
        return "status " + h.getResponse().statusCode();
      return String.valueOf(e.getCause());
    }
  }

  @Test
  void aSubscriberTokenReachesOnlyItsOwnItems() {
    String mine = token("live-g");
    token("live-h");
    send("live-h", "not yours");
    String theirs =
        api.get("/v1/inbox?subscriber_id=live-h").json().get("data").get(0).get("id").asString();
    ApiClient asG = server.anonymous().withKey(mine);
    assertThat(asG.post("/v1/inbox/" + theirs + "/read", null).status()).isEqualTo(404);
    assertThat(asG.delete("/v1/inbox/" + theirs).status()).isEqualTo(404);
    assertThat(api.get("/v1/inbox/count?subscriber_id=live-h").json().get("unread").asLong())
        .isEqualTo(1);
  }

  @Test
  void clickingRecordsTheEngagementMarksTheItemReadAndOpensTheDelivery() {
    String token = token("live-i");
    String id = send("live-i", "click me");
    ApiClient asI = server.anonymous().withKey(token);
    var r = asI.post("/v1/events", Map.of("type", "clicked", "notification_id", id));
    assertThat(r.status()).isEqualTo(202);
    assertThat(status(id)).isEqualTo("opened");
    assertThat(asI.get("/v1/inbox/count").json().get("unread").asLong()).isZero();
    assertThat(
            asI.post("/v1/events", Map.of("type", "clicked", "notification_id", "nope")).status())
        .isEqualTo(404);
    assertThat(asI.post("/v1/events", Map.of("type", "liked", "notification_id", id)).status())
        .isEqualTo(400);
    assertThat(api.post("/v1/events", Map.of("type", "opened", "notification_id", id)).status())
        .isEqualTo(400);
  }

  @Test
  void aSubscriberHoldsAtMostTheConfiguredNumberOfConnections() {
    String token = token("live-j");
    try (LiveClient one = LiveClient.connect(server.baseUrl(), "token=" + token);
        LiveClient two = LiveClient.connect(server.baseUrl(), "token=" + token);
        LiveClient three = LiveClient.connect(server.baseUrl(), "token=" + token)) {
      assertThat(three.closeCode(WAIT)).isEqualTo(4029);
      assertThat(one.nextEvent(WAIT)).containsEntry("type", "ready");
      assertThat(two.nextEvent(WAIT)).containsEntry("type", "ready");
      var sse = server.anonymous().get("/v1/inbox/events?token=" + token);
      assertThat(sse.status()).isEqualTo(429);
      assertThat(sse.contentType()).startsWith("application/problem+json");
    }
  }
}
