package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The calls the sending tests make over HTTP, each checking the status it must answer, so a test
 * reads as the steps a client takes.
 */
final class SendApi {
  static final Set<String> FINISHED = Set.of("sent", "partial", "failed", "canceled");

  private final ApiClient api;

  SendApi(ApiClient api) {
    this.api = api;
  }

  ApiClient client() {
    return api;
  }

  /** {@code PUT /v1/subscribers/{id}} with a body (JSON text or an object); answers it. */
  JsonNode subscriber(String id, Object json) {
    var r = api.put("/v1/subscribers/" + id, json);
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
    return r.json();
  }

  /** Registers a device with the secret key; answers its id. */
  String device(Object json) {
    var r = api.post("/v1/devices", json);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  void join(String topic, List<String> subscribers) {
    var r =
        api.put(
            "/v1/topics/" + topic + "/subscribers", java.util.Map.of("subscribers", subscribers));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  /** Sends and expects the 202 of an accepted notification; answers its id. */
  String send(Object json) {
    var r = api.post("/v1/notifications", json);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  JsonNode notification(String id) {
    var r = api.get("/v1/notifications/" + id);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  /** Waits until the notification reaches {@code status}; answers it then. */
  JsonNode awaitStatus(String id, String status) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> assertThat(notification(id).get("status").asString()).isEqualTo(status));
    return notification(id);
  }

  /** Every delivery of a notification, optionally filtered by {@code ?status=}. */
  List<JsonNode> deliveries(String id, String status) {
    var r =
        api.get(
            "/v1/notifications/"
                + id
                + "/deliveries?limit=500"
                + (status == null ? "" : "&status=" + status));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("next_cursor").isNull()).as("one page is enough here").isTrue();
    return r.json().get("data").valueStream().toList();
  }

  List<JsonNode> deliveries(String id) {
    return deliveries(id, null);
  }

  /** The subscriber's inbox items, newest first (read with the secret key). */
  List<JsonNode> inbox(String subscriberId) {
    var r = api.get("/v1/inbox?limit=500&subscriber_id=" + subscriberId);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("data").valueStream().toList();
  }

  /** Ids in the notification log (first page), newest first. */
  List<String> notificationIds(String query) {
    var r = api.get("/v1/notifications?limit=500" + query);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("data").valueStream().map(n -> n.get("id").asString()).toList();
  }

  /** {@code total} is the sum of the outcome counters: no delivery is lost or counted twice. */
  static void assertCountsAddUp(JsonNode notification) {
    JsonNode c = notification.get("counts");
    long parts =
        c.get("pending").asLong()
            + c.get("sent").asLong()
            + c.get("delivered").asLong()
            + c.get("failed").asLong()
            + c.get("skipped").asLong()
            + c.get("canceled").asLong();
    assertThat(parts).as("counts " + c).isEqualTo(c.get("total").asLong());
  }

  /** A problem+json answer with {@code status} whose field errors name {@code field}. */
  static void assertProblemNaming(ApiClient.Response r, int status, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()))
        .as(r.toString())
        .contains(field);
  }
}
