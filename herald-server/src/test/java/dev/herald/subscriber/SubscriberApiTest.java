package dev.herald.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SubscriberApiTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void putCreatesThenReplacesEveryField() {
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("email", "ann@example.com");
    first.put("phone", "+14155550100");
    first.put("locale", "de-AT");
    first.put("timezone", "Europe/Vienna");
    first.put("attributes", Map.of("role", "FAMILY_HEAD", "plan", "pro"));

    var created = api.put("/v1/subscribers/ann", first);

    assertThat(created.status()).isEqualTo(201);
    JsonNode s = created.json();
    assertThat(s.get("id").asString()).isEqualTo("ann");
    assertThat(s.get("email").asString()).isEqualTo("ann@example.com");
    assertThat(s.get("phone").asString()).isEqualTo("+14155550100");
    assertThat(s.get("locale").asString()).isEqualTo("de-AT");
    assertThat(s.get("timezone").asString()).isEqualTo("Europe/Vienna");
    assertThat(s.get("attributes").get("role").asString()).isEqualTo("FAMILY_HEAD");
    assertThat(s.get("created_at").asString()).endsWith("Z");

    var replaced = api.put("/v1/subscribers/ann", Map.of("email", "ann@example.org"));

    assertThat(replaced.status()).isEqualTo(200);
    JsonNode r = api.get("/v1/subscribers/ann").json();
    assertThat(r.get("email").asString()).isEqualTo("ann@example.org");
    // A PUT replaces: what the second body left out is gone.
    assertThat(r.get("phone").isNull()).isTrue();
    assertThat(r.get("locale").isNull()).isTrue();
    assertThat(r.get("timezone").isNull()).isTrue();
    assertThat(r.get("attributes").isEmpty()).isTrue();
    assertThat(r.get("created_at").asString()).isEqualTo(s.get("created_at").asString());
  }

  @Test
  void unknownSubscriberIsNotFound() {
    var r = api.get("/v1/subscribers/nobody-here");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("code").asString()).isEqualTo("not_found");
    assertThat(api.delete("/v1/subscribers/nobody-here").status()).isEqualTo(404);
    assertThat(api.post("/v1/subscribers/nobody-here/token", null).status()).isEqualTo(404);
  }

  @Test
  void subscribersListPageByPageWithoutDuplicates() {
    TestApp app = TestApp.create(server, "subscriber-pages");
    List<String> ids = List.of("p1", "p2", "p3", "p4", "p5");
    for (String id : ids)
      assertThat(app.api().put("/v1/subscribers/" + id, Map.of()).status()).isEqualTo(201);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var r =
          app.api().get("/v1/subscribers?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).isEqualTo(200);
      r.json().get("data").forEach(s -> seen.add(s.get("id").asString()));
      JsonNode next = r.json().get("next_cursor");
      cursor = next.isNull() ? null : next.asString();
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void eraseRemovesTheSubscriberWithDevicesTopicsAndInbox() {
    assertThat(api.put("/v1/subscribers/gone", Map.of("email", "gone@example.com")).status())
        .isEqualTo(201);
    assertThat(api.put("/v1/subscribers/stays", Map.of()).status()).isEqualTo(201);
    var device =
        api.post(
            "/v1/devices",
            Map.of(
                "subscriber_id",
                "gone",
                "provider",
                "expo",
                "token",
                "ExponentPushToken[gone1234]"));
    assertThat(device.status()).isEqualTo(201);
    String deviceId = device.json().get("id").asString();
    assertThat(
            api.put(
                    "/v1/topics/erase-topic/subscribers",
                    Map.of("subscribers", List.of("gone", "stays")))
                .status())
        .isEqualTo(200);
    var sent =
        api.post(
            "/v1/notifications",
            Map.of(
                "to", Map.of("subscribers", List.of("gone", "stays")),
                "channels", List.of("in_app"),
                "title", "Hello"));
    assertThat(sent.status()).isEqualTo(202);
    assertThat(api.get("/v1/inbox?subscriber_id=gone").json().get("data")).hasSize(1);

    var erased = api.delete("/v1/subscribers/gone");

    assertThat(erased.status()).isEqualTo(204);
    assertThat(api.get("/v1/subscribers/gone").status()).isEqualTo(404);
    assertThat(api.get("/v1/subscribers/gone/devices").json().get("data")).isEmpty();
    assertThat(api.delete("/v1/devices/" + deviceId).status()).isEqualTo(404);
    assertThat(api.get("/v1/topics/erase-topic/subscribers").body())
        .doesNotContain("\"gone\"")
        .contains("\"stays\"");
    assertThat(api.get("/v1/inbox?subscriber_id=gone").json().get("data")).isEmpty();
    assertThat(api.get("/v1/inbox/count?subscriber_id=gone").json().get("total").asLong()).isZero();
    // Nobody else lost anything.
    assertThat(api.get("/v1/inbox?subscriber_id=stays").json().get("data")).hasSize(1);
    assertThat(api.get("/v1/subscribers/stays").status()).isEqualTo(200);
  }

  @Test
  void everyBadFieldIsNamedInOneAnswer() {
    var r =
        api.put(
            "/v1/subscribers/bad-fields",
            Map.of(
                "email", "not-an-email",
                "phone", "0170 1234567",
                "locale", "english please",
                "timezone", "Mars/Olympus_Mons"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asString()).isEqualTo("invalid_request");
    assertThat(fields(r)).containsExactlyInAnyOrder("email", "phone", "locale", "timezone");
    assertThat(api.get("/v1/subscribers/bad-fields").status()).isEqualTo(404);
  }

  @Test
  void eachBadFieldAloneIsRefused() {
    assertThat(fields(api.put("/v1/subscribers/v1", Map.of("email", "a@b"))))
        .containsExactly("email");
    assertThat(fields(api.put("/v1/subscribers/v1", Map.of("phone", "+0123456789"))))
        .containsExactly("phone");
    assertThat(fields(api.put("/v1/subscribers/v1", Map.of("phone", "14155550100"))))
        .containsExactly("phone");
    assertThat(fields(api.put("/v1/subscribers/v1", Map.of("locale", "e"))))
        .containsExactly("locale");
    assertThat(fields(api.put("/v1/subscribers/v1", Map.of("timezone", "Europe/Nowhere"))))
        .containsExactly("timezone");
    assertThat(fields(api.put("/v1/subscribers/v1", Map.of("timezone", ""))))
        .containsExactly("timezone");
  }

  @Test
  void badIdCharactersAreRefused() {
    for (String bad : List.of("ali!ce", "ali%20ce", "ali%24ce", "x".repeat(257))) {
      var r = api.put("/v1/subscribers/" + bad, Map.of());
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(fields(r)).as(bad).containsExactly("id");
    }
  }

  @Test
  void tokenReadsTheSubscribersInboxWithThePublishableKeyOrAlone() {
    assertThat(api.put("/v1/subscribers/reader", Map.of()).status()).isEqualTo(201);
    var sent =
        api.post(
            "/v1/notifications",
            Map.of(
                "to", Map.of("subscribers", List.of("reader")),
                "channels", List.of("in_app"),
                "title", "For the reader"));
    assertThat(sent.status()).isEqualTo(202);

    var minted = api.post("/v1/subscribers/reader/token", Map.of("ttl_seconds", 3600));

    assertThat(minted.status()).isEqualTo(200);
    String token = minted.json().get("token").asString();
    String expiresAt = minted.json().get("expires_at").asString();
    assertThat(token.split("\\.")).hasSize(3);
    assertThat(java.time.Instant.parse(expiresAt))
        .isBetween(
            java.time.Instant.now().plusSeconds(3500), java.time.Instant.now().plusSeconds(3700));

    ApiClient withKey =
        server.anonymous().withKey(token).withHeader("X-Herald-Key", TestServer.PUBLISHABLE_KEY);
    ApiClient alone = server.anonymous().withKey(token);
    for (ApiClient client : List.of(withKey, alone)) {
      var inbox = client.get("/v1/inbox");
      assertThat(inbox.status()).isEqualTo(200);
      assertThat(inbox.json().get("data")).hasSize(1);
      assertThat(inbox.json().get("data").get(0).get("title").asString())
          .isEqualTo("For the reader");
      assertThat(client.get("/v1/inbox/count").json().get("unread").asLong()).isEqualTo(1);
    }
    // A token is no key: the secret routes stay closed to it.
    assertThat(alone.get("/v1/subscribers").status()).isEqualTo(403);
    assertThat(alone.get("/v1/subscribers/reader").status()).isEqualTo(403);
  }

  @Test
  void tokenWithoutBodyLastsADay() {
    assertThat(api.put("/v1/subscribers/day", Map.of()).status()).isEqualTo(201);

    var minted = api.post("/v1/subscribers/day/token", null);

    assertThat(minted.status()).isEqualTo(200);
    assertThat(java.time.Instant.parse(minted.json().get("expires_at").asString()))
        .isAfter(java.time.Instant.now().plusSeconds(23 * 3600));
  }

  @Test
  void tokenTtlOutOfRangeIsRefused() {
    assertThat(api.put("/v1/subscribers/ttl", Map.of()).status()).isEqualTo(201);

    for (long ttl : List.of(0L, 59L, -5L, 30L * 24 * 3600 + 1, 9_000_000_000L)) {
      var r = api.post("/v1/subscribers/ttl/token", Map.of("ttl_seconds", ttl));
      assertThat(r.status()).as("ttl %d", ttl).isEqualTo(400);
      assertThat(fields(r)).as("ttl %d", ttl).containsExactly("ttl_seconds");
    }
  }

  private static List<String> fields(ApiClient.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    List<String> out = new ArrayList<>();
    r.json().get("errors").forEach(e -> out.add(e.get("field").asString()));
    return out;
  }
}
