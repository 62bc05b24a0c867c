package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What a customer's backend does with the secret key in these tests, each call checked. */
record HeraldCalls(ApiClient api) {

  /** Creates the subscriber and mints a token for it, as the backend would for its page. */
  String tokenFor(String subscriber) {
    var created = api.put("/v1/subscribers/" + subscriber, Map.of());
    assertThat(created.status()).as(created.toString()).isIn(200, 201);
    var minted = api.post("/v1/subscribers/" + subscriber + "/token", Map.of());
    assertThat(minted.status()).as(minted.toString()).isEqualTo(200);
    return minted.json().get("token").asString();
  }

  /** Sends an in-app notification; answers its id. */
  String sendInApp(String subscriber, String title, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("to", Map.of("subscribers", List.of(subscriber)));
    body.putIfAbsent("channels", List.of("in_app"));
    body.put("title", title);
    body.putIfAbsent("body", "About " + title);
    var r = api.post("/v1/notifications", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  String sendInApp(String subscriber, String title) {
    return sendInApp(subscriber, title, Map.of());
  }

  JsonNode inbox(String subscriber) {
    var r = api.get("/v1/inbox?subscriber_id=" + subscriber);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("data");
  }
}
