package dev.herald.topic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TopicApiTest {
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
  void joiningTwiceAddsOnce() {
    var first =
        api.put("/v1/topics/family:42/subscribers", Map.of("subscribers", List.of("a", "b")));
    var again =
        api.put("/v1/topics/family:42/subscribers", Map.of("subscribers", List.of("a", "b", "b")));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("added").asInt()).isEqualTo(2);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("added").asInt()).isZero();
    assertThat(members("family:42")).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void joiningCreatesUnknownSubscribers() {
    api.put("/v1/topics/newcomers/subscribers", Map.of("subscribers", List.of("fresh-one")));

    assertThat(api.get("/v1/subscribers/fresh-one").status()).isEqualTo(200);
  }

  @Test
  void membersPageWithCursorsWithoutDuplicates() {
    List<String> ids = List.of("m1", "m2", "m3", "m4", "m5");
    api.put("/v1/topics/paged/subscribers", Map.of("subscribers", ids));

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var r =
          api.get(
              "/v1/topics/paged/subscribers?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("data").size()).isLessThanOrEqualTo(2);
      r.json().get("data").forEach(m -> seen.add(m.get("subscriber_id").asString()));
      JsonNode next = r.json().get("next_cursor");
      cursor = next.isNull() ? null : next.asString();
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void leavingRemovesOnlyTheNamedMembers() {
    api.put("/v1/topics/leavers/subscribers", Map.of("subscribers", List.of("x", "y", "z")));

    var left =
        api.delete("/v1/topics/leavers/subscribers", Map.of("subscribers", List.of("x", "nobody")));

    assertThat(left.status()).isEqualTo(200);
    assertThat(left.json().get("removed").asInt()).isEqualTo(1);
    assertThat(members("leavers")).containsExactlyInAnyOrder("y", "z");
    // The subscriber itself stays; only the membership is gone.
    assertThat(api.get("/v1/subscribers/x").status()).isEqualTo(200);
  }

  @Test
  void unknownTopicHasNoMembers() {
    var r = api.get("/v1/topics/never-joined/subscribers");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("data")).isEmpty();
    assertThat(r.json().get("next_cursor").isNull()).isTrue();
  }

  @Test
  void badTopicKeyIsRefused() {
    for (String bad : List.of("has%20space", "semi;colon", "k".repeat(129), "caf%C3%A9")) {
      var join = api.put("/v1/topics/" + bad + "/subscribers", Map.of("subscribers", List.of("a")));
      assertThat(join.status()).as(bad).isEqualTo(400);
      assertThat(join.json().get("errors").get(0).get("field").asString()).isEqualTo("key");
      assertThat(api.get("/v1/topics/" + bad + "/subscribers").status()).as(bad).isEqualTo(400);
    }
  }

  @Test
  void emptyOrMissingOrInvalidSubscribersAreRefused() {
    var empty = api.put("/v1/topics/t1/subscribers", Map.of("subscribers", List.of()));
    var missing = api.put("/v1/topics/t1/subscribers", Map.of());
    var badId =
        api.put("/v1/topics/t1/subscribers", Map.of("subscribers", List.of("ok", "not ok")));
    var leaveEmpty = api.delete("/v1/topics/t1/subscribers", Map.of("subscribers", List.of()));

    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().get("errors").get(0).get("field").asString()).isEqualTo("subscribers");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().get("errors").get(0).get("field").asString())
        .isEqualTo("subscribers[1]");
    assertThat(leaveEmpty.status()).isEqualTo(400);
    assertThat(members("t1")).isEmpty();
  }

  private static List<String> members(String topic) {
    var r = api.get("/v1/topics/" + topic + "/subscribers?limit=500");
    assertThat(r.status()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    r.json().get("data").forEach(m -> out.add(m.get("subscriber_id").asString()));
    return out;
  }
}
