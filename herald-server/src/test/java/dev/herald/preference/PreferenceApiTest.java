package dev.herald.preference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The preference and category routes: shapes, who may call them, and strict validation. */
class PreferenceApiTest {
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
  void aSubscriberWithoutChoicesHasEveryChannelOnAndSeesTheAppsCategories() {
    subscriber("fresh", Map.of());
    put(
        "/v1/categories/api-news",
        Map.of("name", "News", "default_channels", Map.of("sms", false)),
        201);
    put("/v1/categories/api-alerts", Map.of("locked", true), 201);

    JsonNode r = get("/v1/subscribers/fresh/preferences");

    assertThat(r.get("subscriber_id").asString()).isEqualTo("fresh");
    assertThat(r.get("preferences").toString())
        .isEqualTo("{\"channels\":{},\"categories\":{},\"quiet_hours\":null}");
    assertThat(r.get("updated_at").isNull()).isTrue();
    JsonNode effective = r.get("effective");
    assertThat(effective.get("channels").toString())
        .isEqualTo("{\"email\":true,\"in_app\":true,\"push\":true,\"sms\":true}");
    JsonNode news = effective.get("categories").get("api-news");
    assertThat(news.get("name").asString()).isEqualTo("News");
    assertThat(news.get("locked").asBoolean()).isFalse();
    assertThat(news.get("channels").toString())
        .isEqualTo("{\"email\":true,\"in_app\":true,\"push\":true,\"sms\":false}");
    assertThat(effective.get("categories").get("api-alerts").get("locked").asBoolean()).isTrue();
    assertThat(effective.get("quiet_hours").isNull()).isTrue();
  }

  @Test
  void putReplacesTheChoicesAndAnswersTheEffectiveView() {
    subscriber("chooser", Map.of("timezone", "America/New_York"));
    put("/v1/categories/api-promo", Map.of("default_channels", Map.of("email", false)), 201);
    put("/v1/categories/api-codes", Map.of("locked", true), 201);

    JsonNode r =
        put(
            "/v1/subscribers/chooser/preferences",
            """
        {"channels": {"push": false, "email": true},
         "categories": {"api-promo": {"channels": {"sms": false}}, "api-codes": {"channels": {"sms": false}},
                        "own-category": {"channels": {"in_app": false}}},
         "quiet_hours": {"start": "22:00", "end": "07:00"}}
        """,
            200);

    assertThat(r.get("preferences").get("channels").toString())
        .isEqualTo("{\"email\":true,\"push\":false}");
    assertThat(r.get("updated_at").isNull()).isFalse();
    JsonNode effective = r.get("effective");
    assertThat(effective.get("channels").toString())
        .isEqualTo("{\"email\":true,\"in_app\":true,\"push\":false,\"sms\":true}");
    // A global true does not opt into what the category's default turns off.
    assertThat(effective.get("categories").get("api-promo").get("channels").toString())
        .isEqualTo("{\"email\":false,\"in_app\":true,\"push\":false,\"sms\":false}");
    assertThat(effective.get("categories").get("api-codes").get("channels").toString())
        .isEqualTo("{\"email\":true,\"in_app\":true,\"push\":true,\"sms\":true}");
    assertThat(
            effective
                .get("categories")
                .get("own-category")
                .get("channels")
                .get("in_app")
                .asBoolean())
        .isFalse();
    assertThat(effective.get("quiet_hours").toString())
        .isEqualTo("{\"start\":\"22:00\",\"end\":\"07:00\",\"timezone\":\"America/New_York\"}");

    JsonNode replaced = put("/v1/subscribers/chooser/preferences", "{}", 200);
    assertThat(replaced.get("effective").get("channels").get("push").asBoolean()).isTrue();
    assertThat(replaced.get("effective").get("categories").has("own-category")).isFalse();
    assertThat(replaced.get("effective").get("quiet_hours").isNull()).isTrue();
  }

  @Test
  void aSubscriberTokenReadsAndWritesItsOwnPreferencesOnly() {
    subscriber("tok-me", Map.of());
    subscriber("tok-other", Map.of());
    ApiClient me = new ApiClient(server.baseUrl()).withKey(token("tok-me"));

    var written = me.put("/v1/inbox/preferences", Map.of("channels", Map.of("email", false)));
    assertThat(written.status()).as(written.toString()).isEqualTo(200);
    assertThat(written.json().get("subscriber_id").asString()).isEqualTo("tok-me");
    assertThat(
            get("/v1/subscribers/tok-me/preferences")
                .get("effective")
                .get("channels")
                .get("email")
                .asBoolean())
        .isFalse();
    var read =
        me.withHeader("X-Herald-Key", TestServer.PUBLISHABLE_KEY).get("/v1/inbox/preferences");
    assertThat(read.status()).as(read.toString()).isEqualTo(200);
    assertThat(read.json().get("preferences").get("channels").get("email").asBoolean()).isFalse();

    var otherByQuery =
        me.put(
            "/v1/inbox/preferences?subscriber_id=tok-other",
            Map.of("channels", Map.of("sms", false)));
    assertThat(otherByQuery.status()).as(otherByQuery.toString()).isEqualTo(403);
    assertThat(me.get("/v1/subscribers/tok-other/preferences").status()).isEqualTo(403);
    assertThat(me.put("/v1/subscribers/tok-me/preferences", "{}").status()).isEqualTo(403);
    assertThat(
            new ApiClient(server.baseUrl())
                .withKey(TestServer.PUBLISHABLE_KEY)
                .get("/v1/inbox/preferences")
                .status())
        .isEqualTo(403);
    assertThat(server.anonymous().get("/v1/inbox/preferences").status()).isEqualTo(401);
    assertThat(
            get("/v1/subscribers/tok-other/preferences").get("preferences").get("channels").size())
        .isZero();
  }

  @Test
  void theSecretKeyReachesASubscribersPreferencesThroughTheInboxRouteWithSubscriberId() {
    subscriber("by-query", Map.of());
    var r =
        api.put(
            "/v1/inbox/preferences?subscriber_id=by-query",
            Map.of("channels", Map.of("sms", false)));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(
            get("/v1/subscribers/by-query/preferences")
                .get("effective")
                .get("channels")
                .get("sms")
                .asBoolean())
        .isFalse();
    SendAssertions.problem(api.get("/v1/inbox/preferences"), 400, "subscriber_id");
  }

  @Test
  void unknownSubscribersAndOtherAppsAreNotFound() {
    assertThat(api.get("/v1/subscribers/nobody/preferences").status()).isEqualTo(404);
    assertThat(api.put("/v1/subscribers/nobody/preferences", "{}").status()).isEqualTo(404);
    assertThat(api.get("/v1/subscribers/nobody").status())
        .as("PUT created no subscriber")
        .isEqualTo(404);
    subscriber("app-a-only", Map.of());
    TestApp other = TestApp.create(server, "prefs-other");
    assertThat(other.api().get("/v1/subscribers/app-a-only/preferences").status()).isEqualTo(404);
    assertThat(other.api().put("/v1/subscribers/app-a-only/preferences", "{}").status())
        .isEqualTo(404);
    put("/v1/categories/api-private", Map.of("locked", true), 201);
    assertThat(other.api().get("/v1/categories/api-private").status()).isEqualTo(404);
    assertThat(other.api().delete("/v1/categories/api-private").status()).isEqualTo(404);
  }

  @Test
  void erasingASubscriberErasesItsPreferences() {
    subscriber("erased", Map.of());
    put("/v1/subscribers/erased/preferences", Map.of("channels", Map.of("push", false)), 200);
    assertThat(api.delete("/v1/subscribers/erased").status()).isEqualTo(204);
    subscriber("erased", Map.of());

    JsonNode r = get("/v1/subscribers/erased/preferences");
    assertThat(r.get("preferences").get("channels").size()).isZero();
    assertThat(r.get("updated_at").isNull()).isTrue();
  }

  @Test
  void badPreferencesAreRefusedNamingEachField() {
    subscriber("strict", Map.of());
    String path = "/v1/subscribers/strict/preferences";
    SendAssertions.problem(api.put(path, "{\"channels\": {\"fax\": false}}"), 400, "channels.fax");
    SendAssertions.problem(api.put(path, "{\"channels\": {\"push\": null}}"), 400, "channels.push");
    SendAssertions.problem(
        api.put(path, "{\"channels\": {\"push\": \"off\"}}"), 400, "channels.push");
    SendAssertions.problem(api.put(path, "{\"channel\": {}}"), 400, "channel");
    SendAssertions.problem(
        api.put(path, "{\"categories\": {\"a b\": {\"channels\": {}}}}"), 400, "categories.a b");
    SendAssertions.problem(
        api.put(path, "{\"categories\": {\"promo\": {\"push\": false}}}"),
        400,
        "categories.promo.push");
    SendAssertions.problem(
        api.put(path, "{\"categories\": {\"promo\": {\"channels\": {\"pager\": true}}}}"),
        400,
        "categories.promo.channels.pager");
    SendAssertions.problem(
        api.put(path, "{\"categories\": {\"promo\": {\"digest\": \"weekly\"}}}"),
        400,
        "categories.promo.digest");
    SendAssertions.problem(
        api.put(path, "{\"quiet_hours\": {\"start\": \"7:00\", \"end\": \"24:00\"}}"),
        400,
        "quiet_hours.start",
        "quiet_hours.end");
    SendAssertions.problem(
        api.put(path, "{\"quiet_hours\": {\"start\": \"22:00\", \"end\": \"22:00\"}}"),
        400,
        "quiet_hours.end");
    SendAssertions.problem(
        api.put(path, "{\"quiet_hours\": {\"start\": \"22:00\"}}"), 400, "quiet_hours.end");
    SendAssertions.problem(
        api.put(
            path,
            "{\"quiet_hours\": {\"start\": \"22:00\", \"end\": \"07:00\", \"timezone\": \"Mars/Olympus\"}}"),
        400,
        "quiet_hours.timezone");
    SendAssertions.problem(
        api.put(
            path,
            "{\"quiet_hours\": {\"start\": \"22:00\", \"end\": \"07:00\", \"timezone\": \"+02:00\"}}"),
        400,
        "quiet_hours.timezone");
    SendAssertions.problem(
        api.put(
            path, "{\"quiet_hours\": {\"start\": \"22:00\", \"end\": \"07:00\", \"days\": []}}"),
        400,
        "quiet_hours.days");
    assertThat(api.send("PUT", path, "{}", "text/plain").status()).isEqualTo(415);
    assertThat(get(path).get("updated_at").isNull()).as("nothing was stored").isTrue();
  }

  @Test
  void categoriesAreCreatedReplacedListedAndDeleted() {
    JsonNode created =
        put(
            "/v1/categories/api-digest-me",
            """
        {"name": "Likes", "default_channels": {"email": false}, "throttle": {"max": 3, "per": "1h"}}
        """,
            201);
    assertThat(created.get("key").asString()).isEqualTo("api-digest-me");
    assertThat(created.get("locked").asBoolean()).isFalse();
    assertThat(created.get("throttle").toString())
        .isEqualTo("{\"max\":3,\"per\":\"1h\",\"overflow\":\"skip\"}");
    JsonNode replaced =
        put(
            "/v1/categories/api-digest-me",
            Map.of("throttle", Map.of("max", 5, "per", "1d", "overflow", "digest")),
            200);
    assertThat(replaced.get("name").isNull()).isTrue();
    assertThat(replaced.get("default_channels").size()).isZero();
    assertThat(replaced.get("throttle").get("overflow").asString()).isEqualTo("digest");
    assertThat(get("/v1/categories/api-digest-me").get("throttle").get("max").asInt()).isEqualTo(5);

    List<String> keys = new java.util.ArrayList<>();
    String cursor = "";
    do {
      JsonNode page = get("/v1/categories?limit=2" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
      page.get("data").forEach(c -> keys.add(c.get("key").asString()));
      cursor = page.get("next_cursor").isNull() ? "" : page.get("next_cursor").asString();
    } while (!cursor.isEmpty());
    assertThat(keys).contains("api-digest-me").isSorted().doesNotHaveDuplicates();

    assertThat(api.delete("/v1/categories/api-digest-me").status()).isEqualTo(204);
    assertThat(api.get("/v1/categories/api-digest-me").status()).isEqualTo(404);
    assertThat(api.delete("/v1/categories/api-digest-me").status()).isEqualTo(404);
  }

  @Test
  void badCategoriesAreRefusedNamingEachField() {
    String path = "/v1/categories/api-bad";
    SendAssertions.problem(
        api.put(path, "{\"default_channels\": {\"fax\": false}}"), 400, "default_channels.fax");
    SendAssertions.problem(
        api.put(path, "{\"throttle\": {\"max\": 0, \"per\": \"1w\", \"overflow\": \"later\"}}"),
        400,
        "throttle.max",
        "throttle.per",
        "throttle.overflow");
    SendAssertions.problem(
        api.put(path, "{\"throttle\": {\"per\": \"30s\"}}"), 400, "throttle.max", "throttle.per");
    SendAssertions.problem(
        api.put(path, "{\"throttle\": {\"max\": 1, \"per\": \"8d\"}}"), 400, "throttle.per");
    SendAssertions.problem(api.put(path, "{\"digest\": \"weekly\"}"), 400, "digest");
    SendAssertions.problem(api.put(path, "{\"digest\": \"off\"}"), 400, "digest");
    SendAssertions.problem(api.put(path, "{\"locked\": null}"), 400, "locked");
    SendAssertions.problem(api.put(path, "{\"name\": \"" + "n".repeat(201) + "\"}"), 400, "name");
    SendAssertions.problem(api.put("/v1/categories/a%20b", "{}"), 400, "key");
    assertThat(api.get(path).status()).isEqualTo(404);
    assertThat(
            server.anonymous().withKey(TestServer.PUBLISHABLE_KEY).get("/v1/categories").status())
        .isEqualTo(403);
  }

  private static void subscriber(String id, Map<String, Object> body) {
    var r = api.put("/v1/subscribers/" + id, body);
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
  }

  private static String token(String subscriber) {
    var r = api.post("/v1/subscribers/" + subscriber + "/token", "{}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("token").asString();
  }

  private static JsonNode get(String path) {
    var r = api.get(path);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static JsonNode put(String path, Object body, int status) {
    var r = api.put(path, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    return r.json();
  }
}
