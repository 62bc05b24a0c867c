package dev.herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Managing endpoints: validation, the secret shown once, updates, paging and app isolation. */
class WebhookApiTest {
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

  static JsonNode create(ApiClient client, Map<String, Object> body) {
    var r = client.post("/v1/webhooks", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static ApiClient.Response patch(ApiClient client, String path, Object body) {
    return client.send("PATCH", path, body, "application/json");
  }

  @Test
  void createShowsTheGeneratedSecretOnceAndNeverAgain() {
    JsonNode created =
        create(
            api,
            Map.of(
                "url",
                "https://hooks.example.com/herald",
                "events",
                List.of("device.registered"),
                "description",
                "CRM sync"));
    String id = created.get("id").asString();
    String secret = created.get("secret").asString();
    assertThat(SigningSecret.parse(secret)).as(secret).isPresent();
    assertThat(created.get("url").asString()).isEqualTo("https://hooks.example.com/herald");
    assertThat(created.get("events").toString()).isEqualTo("[\"device.registered\"]");
    assertThat(created.get("description").asString()).isEqualTo("CRM sync");
    assertThat(created.get("enabled").asBoolean()).isTrue();
    assertThat(created.get("consecutive_failures").asLong()).isZero();
    assertThat(created.get("disabled_reason").isNull()).isTrue();

    var one = api.get("/v1/webhooks/" + id);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().has("secret")).isFalse();
    assertThat(one.body()).doesNotContain(secret.substring("whsec_".length()));
    var list = api.get("/v1/webhooks?limit=500");
    assertThat(list.body()).contains(id).doesNotContain(secret.substring("whsec_".length()));
    var updated = patch(api, "/v1/webhooks/" + id, Map.of("description", "CRM"));
    assertThat(updated.body()).doesNotContain(secret.substring("whsec_".length()));
  }

  @Test
  void aSecretOfYourOwnIsKeptAndTwoGeneratedOnesDiffer() {
    String mine = SigningSecret.generate().text();
    var r =
        api.post(
            "/v1/webhooks",
            Map.of("url", "https://a.example.com", "events", List.of("*"), "secret", mine));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("secret").asString()).isEqualTo(mine);
    String one =
        create(api, Map.of("url", "https://b.example.com", "events", List.of("*")))
            .get("secret")
            .asString();
    String two =
        create(api, Map.of("url", "https://b.example.com", "events", List.of("*")))
            .get("secret")
            .asString();
    assertThat(one).isNotEqualTo(two);
  }

  @Test
  void invalidFieldsAreNamedAllAtOnce() {
    var r =
        api.post(
            "/v1/webhooks",
            Map.of(
                "url",
                "ftp://files.example.com",
                "events",
                List.of("notification.sent", "notification.opened"),
                "secret",
                "hunter2",
                "description",
                "x".repeat(300)));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    List<String> fields = new ArrayList<>();
    r.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
    assertThat(fields).containsExactlyInAnyOrder("url", "events[1]", "secret", "description");

    assertThat(
            api.post("/v1/webhooks", Map.of("url", "https://a.example.com", "events", List.of()))
                .status())
        .isEqualTo(400);
    assertThat(
            api.post("/v1/webhooks", Map.of("events", List.of("*")))
                .json()
                .get("errors")
                .get(0)
                .get("field")
                .asString())
        .isEqualTo("url");
    var unknown =
        api.post(
            "/v1/webhooks",
            Map.of("url", "https://a.example.com", "events", List.of("*"), "retries", 3));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("retries");
    assertThat(api.post("/v1/webhooks", "{\"url\": 42}").status()).isEqualTo(400);
  }

  @Test
  void patchChangesOnlyWhatItNamesAndValidatesIt() {
    String id =
        create(
                api,
                Map.of(
                    "url",
                    "https://c.example.com",
                    "events",
                    List.of("device.registered"),
                    "description",
                    "first"))
            .get("id")
            .asString();
    var r =
        patch(
            api,
            "/v1/webhooks/" + id,
            Map.of("events", List.of("delivery.failed", "delivery.failed", "*")));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("events").toString()).isEqualTo("[\"delivery.failed\",\"*\"]");
    assertThat(r.json().get("url").asString()).isEqualTo("https://c.example.com");
    assertThat(r.json().get("description").asString()).isEqualTo("first");

    r =
        patch(
            api,
            "/v1/webhooks/" + id,
            Map.of("url", "https://d.example.com/in", "description", ""));
    assertThat(r.json().get("url").asString()).isEqualTo("https://d.example.com/in");
    assertThat(r.json().get("description").isNull()).isTrue();

    r = patch(api, "/v1/webhooks/" + id, Map.of("enabled", false));
    assertThat(r.json().get("enabled").asBoolean()).isFalse();
    assertThat(r.json().get("disabled_reason").asString()).isEqualTo("disabled through the API");
    assertThat(r.json().get("disabled_at").isNull()).isFalse();
    r = patch(api, "/v1/webhooks/" + id, Map.of("enabled", true));
    assertThat(r.json().get("enabled").asBoolean()).isTrue();
    assertThat(r.json().get("disabled_reason").isNull()).isTrue();
    assertThat(r.json().get("disabled_at").isNull()).isTrue();

    assertThat(patch(api, "/v1/webhooks/" + id, Map.of("events", List.of("nope"))).status())
        .isEqualTo(400);
    assertThat(
            patch(api, "/v1/webhooks/" + id, Map.of("url", "https://user:pw@e.example.com"))
                .status())
        .isEqualTo(400);
    assertThat(
            patch(api, "/v1/webhooks/" + id, Map.of("secret", SigningSecret.generate().text()))
                .status())
        .as("the secret changes only by rotation")
        .isEqualTo(400);
    assertThat(patch(api, "/v1/webhooks/nope", Map.of("enabled", true)).status()).isEqualTo(404);
  }

  @Test
  void rotationAnswersTheNewSecretOnceAndKeepsTheOldOneForADay() {
    JsonNode created = create(api, Map.of("url", "https://r.example.com", "events", List.of("*")));
    String id = created.get("id").asString();
    var r = api.post("/v1/webhooks/" + id + "/rotate-secret", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String next = r.json().get("secret").asString();
    assertThat(SigningSecret.parse(next)).isPresent();
    assertThat(next).isNotEqualTo(created.get("secret").asString());
    assertThat(r.json().get("previous_secret_expires_at").isNull()).isFalse();

    String mine = SigningSecret.generate().text();
    r = api.post("/v1/webhooks/" + id + "/rotate-secret", Map.of("secret", mine));
    assertThat(r.json().get("secret").asString()).isEqualTo(mine);
    assertThat(
            api.post("/v1/webhooks/" + id + "/rotate-secret", Map.of("secret", "whsec_short"))
                .status())
        .isEqualTo(400);
    assertThat(api.get("/v1/webhooks/" + id).json().has("secret")).isFalse();
  }

  @Test
  void listsPageInIdOrderAndDeleteRemoves() {
    TestApp app = TestApp.create(server, "webhook-paging");
    ApiClient client = app.api();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(
          create(client, Map.of("url", "https://p" + i + ".example.com", "events", List.of("*")))
              .get("id")
              .asString());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      var page =
          client.get("/v1/webhooks?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
      page.get("data").forEach(w -> seen.add(w.get("id").asString()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
    } while (cursor != null);
    assertThat(seen).containsExactlyElementsOf(ids);

    assertThat(client.delete("/v1/webhooks/" + ids.getFirst()).status()).isEqualTo(204);
    assertThat(client.get("/v1/webhooks/" + ids.getFirst()).status()).isEqualTo(404);
    assertThat(client.delete("/v1/webhooks/" + ids.getFirst()).status()).isEqualTo(404);
    assertThat(client.get("/v1/webhooks").json().get("data")).hasSize(4);
  }

  @Test
  void anotherAppsEndpointsAnswer404AndAPublishableKeyIsRefused() {
    TestApp owner = TestApp.create(server, "webhook-owner");
    TestApp other = TestApp.create(server, "webhook-other");
    String id =
        create(owner.api(), Map.of("url", "https://o.example.com", "events", List.of("*")))
            .get("id")
            .asString();
    ApiClient stranger = other.api();
    assertThat(stranger.get("/v1/webhooks/" + id).status()).isEqualTo(404);
    assertThat(patch(stranger, "/v1/webhooks/" + id, Map.of("enabled", false)).status())
        .isEqualTo(404);
    assertThat(stranger.post("/v1/webhooks/" + id + "/rotate-secret", null).status())
        .isEqualTo(404);
    assertThat(stranger.get("/v1/webhooks/" + id + "/attempts").status()).isEqualTo(404);
    assertThat(stranger.post("/v1/webhooks/" + id + "/messages/msg_x/replay", null).status())
        .isEqualTo(404);
    assertThat(stranger.delete("/v1/webhooks/" + id).status()).isEqualTo(404);
    assertThat(stranger.get("/v1/webhooks").json().get("data")).isEmpty();
    assertThat(owner.api().get("/v1/webhooks/" + id).json().get("enabled").asBoolean()).isTrue();

    assertThat(owner.publishable().get("/v1/webhooks").status()).isEqualTo(403);
    assertThat(
            owner
                .publishable()
                .post(
                    "/v1/webhooks", Map.of("url", "https://x.example.com", "events", List.of("*")))
                .status())
        .isEqualTo(403);
    assertThat(server.anonymous().get("/v1/webhooks").status()).isEqualTo(401);
  }

  @Test
  void attemptsOfAnEndpointWithoutCallsAreAnEmptyPageAndFiltersAreChecked() {
    String id =
        create(api, Map.of("url", "https://q.example.com", "events", List.of("*")))
            .get("id")
            .asString();
    var r = api.get("/v1/webhooks/" + id + "/attempts");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("data")).isEmpty();
    assertThat(r.json().get("next_cursor").isNull()).isTrue();
    assertThat(api.get("/v1/webhooks/" + id + "/attempts?status=maybe").status()).isEqualTo(400);
    assertThat(api.get("/v1/webhooks/" + id + "/attempts?cursor=zzz").status()).isEqualTo(400);
    assertThat(api.post("/v1/webhooks/" + id + "/messages/msg_nothing/replay", null).status())
        .isEqualTo(404);
    assertThat(api.post("/v1/webhooks/" + id + "/messages/other/replay", null).status())
        .isEqualTo(404);
  }
}
