package dev.herald.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A token the provider reports gone is deactivated with its reason, skipped from then on, and
 * revived by registering it again.
 */
class TokenLifecycleTest {
  static final String GONE = "a".repeat(64);
  static final String GOOD = "b".repeat(64);
  static final List<String> sentTo = new CopyOnWriteArrayList<>();
  static TestServer server;
  static ApiClient api;

  /** An APNs stand-in: tokens of 'a's are unregistered, others accepted. */
  static final DeliverySender APNS =
      batch -> {
        List<SendOutcome> out = new ArrayList<>();
        for (Message m : batch) {
          sentTo.add(m.address());
          out.add(
              m.address().equals(GONE)
                  ? new SendOutcome.Rejected("Unregistered", true)
                  : new SendOutcome.Accepted("apns-" + m.deliveryId()));
        }
        return out;
      };

  @BeforeAll
  static void start() {
    server =
        TestServer.builder().senders(new ChannelSenders().register("push", "apns", APNS)).start();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anUnregisteredTokenIsDeactivatedNeverTargetedAgainAndRevivedByRegistering()
      throws Exception {
    String gone = register("lena", GONE);
    register("lena", GOOD);

    String first = send("lena");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !api.get("/v1/notifications/" + first)
                    .json()
                    .get("status")
                    .asString()
                    .equals("processing"));
    var device = deviceOf("lena", gone);
    assertThat(device.get("active").asBoolean()).isFalse();
    assertThat(device.get("deactivated_reason").asString()).isEqualTo("Unregistered");
    assertThat(device.get("deactivated_at").isNull()).isFalse();
    assertThat(api.get("/v1/stats").json().get("devices").get("inactive").asLong()).isEqualTo(1);
    assertThat(outbox("device.unregistered")).contains(gone);
    assertThat(server.api().get("/metrics").body())
        .contains("herald_devices_deactivated_total{provider=\"apns\",reason=\"Unregistered\"}");

    sentTo.clear();
    String second = send("lena");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.get("/v1/notifications/" + second)
                    .json()
                    .get("status")
                    .asString()
                    .equals("sent"));
    assertThat(sentTo).containsExactly(GOOD);

    assertThat(register("lena", GONE)).isEqualTo(gone);
    assertThat(deviceOf("lena", gone).get("active").asBoolean()).isTrue();
    assertThat(outbox("device.registered")).containsSubsequence(gone, gone);
  }

  @Test
  void unregisteringThroughTheApiRecordsTheEvent() throws Exception {
    String id = register("omar", "c".repeat(64));
    assertThat(api.delete("/v1/devices/" + id).status()).isEqualTo(204);
    assertThat(deviceOf("omar", id).get("deactivated_reason").asString()).isEqualTo("unregistered");
    assertThat(outbox("device.unregistered")).contains(id);
  }

  private static String register(String subscriber, String token) {
    var r =
        api.post(
            "/v1/devices",
            Map.of(
                "subscriber_id",
                subscriber,
                "provider",
                "apns",
                "token",
                token,
                "platform",
                "ios"));
    assertThat(r.status()).as(r.body()).isIn(200, 201);
    return r.json().get("id").asString();
  }

  private static String send(String subscriber) {
    var r =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of(subscriber)),
                "channels",
                List.of("push"),
                "title",
                "Hi"));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  private static tools.jackson.databind.JsonNode deviceOf(String subscriber, String id) {
    for (var d : api.get("/v1/subscribers/" + subscriber + "/devices").json().get("data")) {
      if (d.get("id").asString().equals(id)) return d;
    }
    throw new AssertionError("no device " + id);
  }

  /** Device ids named by the outbox events of one type, oldest first. */
  private static List<String> outbox(String type) throws Exception {
    List<String> ids = new ArrayList<>();
    try (var c =
            DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("herald.db"));
        var s =
            c.prepareStatement("SELECT payload FROM outbox_events WHERE type = ? ORDER BY id")) {
      s.setString(1, type);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next())
          ids.add(dev.herald.web.Json.tree(rs.getString(1)).get("device_id").asString());
      }
    }
    return ids;
  }
}
