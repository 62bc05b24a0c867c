package dev.herald.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestDatabase;
import dev.herald.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Templates through the API on each database Herald supports: writing versions, reading them back,
 * listing, deleting, isolation between apps, and refusing invalid templates with the field at
 * fault. Subclasses only say which database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TemplateApiContract {
  static final String WELCOME =
      """
      {"default_locale": "en",
       "locales": {"en": {"title": "Hi {{name}}", "body": "Welcome to {{place}}",
                          "email": {"subject": "Hi {{name}}", "html": "<p>Hi {{name}}</p>", "text": "Hi {{name}}"},
                          "sms": {"text": "Hi {{name}}"}},
                   "de": {"title": "Hallo {{name}}", "body": "Willkommen in {{place}}"}}}
      """;

  private TestDatabase database;
  private TestServer server;
  private ApiClient api;

  protected abstract TestDatabase newDatabase();

  @BeforeAll
  void start() {
    database = newDatabase();
    server = database.server().start();
    api = server.api();
  }

  @AfterAll
  void stop() {
    server.close();
    database.close();
  }

  @Test
  void putCreatesVersionOneThenEachPutAddsAVersionAndOldOnesStayReadable() {
    var created = api.put("/v1/templates/welcome", WELCOME);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode v1 = created.json();
    assertThat(v1.get("key").asString()).isEqualTo("welcome");
    assertThat(v1.get("version").asInt()).isEqualTo(1);
    assertThat(v1.get("latest_version").asInt()).isEqualTo(1);
    assertThat(v1.get("default_locale").asString()).isEqualTo("en");
    assertThat(v1.at("/locales/de/title").asString()).isEqualTo("Hallo {{name}}");
    assertThat(v1.at("/locales/en/email/html").asString()).isEqualTo("<p>Hi {{name}}</p>");
    assertThat(v1.has("digest")).isFalse();
    assertThat(v1.get("created_at").asString()).isNotBlank();

    var replaced =
        api.put(
            "/v1/templates/welcome",
            """
            {"default_locale": "en", "locales": {"en": {"title": "Hello {{name}}"}}}
            """);
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    assertThat(replaced.json().get("version").asInt()).isEqualTo(2);
    assertThat(replaced.json().get("created_at").asString())
        .isEqualTo(v1.get("created_at").asString());

    JsonNode latest = ok(api.get("/v1/templates/welcome"));
    assertThat(latest.get("version").asInt()).isEqualTo(2);
    assertThat(latest.at("/locales/en/title").asString()).isEqualTo("Hello {{name}}");
    assertThat(latest.at("/locales/de").isMissingNode()).isTrue();

    JsonNode first = ok(api.get("/v1/templates/welcome?version=1"));
    assertThat(first.get("version").asInt()).isEqualTo(1);
    assertThat(first.get("latest_version").asInt()).isEqualTo(2);
    assertThat(first.at("/locales/de/title").asString()).isEqualTo("Hallo {{name}}");

    assertThat(api.get("/v1/templates/welcome?version=3").status()).isEqualTo(404);
    assertProblem(api.get("/v1/templates/welcome?version=zero"), 400, "version");
    assertThat(api.get("/v1/templates/nobody-wrote-this").status()).isEqualTo(404);
  }

  @Test
  void deleteRemovesTheKeyAndWritingItAgainContinuesTheNumbering() {
    assertThat(api.put("/v1/templates/short-lived", simple("One")).status()).isEqualTo(201);
    assertThat(api.put("/v1/templates/short-lived", simple("Two")).status()).isEqualTo(200);

    assertThat(api.delete("/v1/templates/short-lived").status()).isEqualTo(204);
    assertThat(api.get("/v1/templates/short-lived").status()).isEqualTo(404);
    assertThat(api.get("/v1/templates/short-lived?version=1").status()).isEqualTo(404);
    assertThat(api.delete("/v1/templates/short-lived").status()).isEqualTo(404);
    assertThat(keys(api.get("/v1/templates?limit=500"))).doesNotContain("short-lived");

    var again = api.put("/v1/templates/short-lived", simple("Three"));
    assertThat(again.status()).as(again.toString()).isEqualTo(201);
    assertThat(again.json().get("version").asInt()).isEqualTo(3);
    assertThat(ok(api.get("/v1/templates/short-lived")).at("/locales/en/title").asString())
        .isEqualTo("Three");
  }

  @Test
  void listPagesThroughTheLatestVersionOfEachKeyInKeyOrder() {
    for (String key : List.of("page-c", "page-a", "page-e", "page-b", "page-d")) {
      assertThat(api.put("/v1/templates/" + key, simple(key)).status()).isEqualTo(201);
    }
    assertThat(api.put("/v1/templates/page-b", simple("b2")).status()).isEqualTo(200);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          ok(api.get("/v1/templates?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
      assertThat(page.get("data").size()).isLessThanOrEqualTo(2);
      page.get("data").forEach(t -> seen.add(t.get("key").asString()));
      for (JsonNode t : page.get("data")) {
        if (t.get("key").asString().equals("page-b")) {
          assertThat(t.get("version").asInt()).isEqualTo(2);
          assertThat(t.get("default_locale").asString()).isEqualTo("en");
          assertThat(t.get("locales").get(0).asString()).isEqualTo("en");
        }
      }
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
      pages++;
    } while (cursor != null && pages < 50);
    List<String> ours = seen.stream().filter(k -> k.startsWith("page-")).toList();
    assertThat(ours).containsExactly("page-a", "page-b", "page-c", "page-d", "page-e");
    assertThat(seen).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void concurrentWritesToOneKeyEachGetTheirOwnVersion() throws Exception {
    int writers = 8;
    List<Integer> versions = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      List<Future<ApiClient.Response>> answers = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String title = "Race " + i;
        answers.add(pool.submit(() -> api.put("/v1/templates/raced", simple(title))));
      }
      for (Future<ApiClient.Response> f : answers) {
        ApiClient.Response r = f.get();
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        versions.add(r.json().get("version").asInt());
      }
    }
    assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(ok(api.get("/v1/templates/raced")).get("version").asInt()).isEqualTo(writers);
  }

  @Test
  void anotherAppsTemplatesAreNotFoundAndItsKeysAreItsOwn() {
    TestApp other = TestApp.create(server, "templates-other-" + System.nanoTime());
    assertThat(api.put("/v1/templates/isolated", simple("Ours")).status()).isEqualTo(201);

    ApiClient theirs = other.api();
    assertThat(theirs.get("/v1/templates/isolated").status()).isEqualTo(404);
    assertThat(theirs.get("/v1/templates/isolated?version=1").status()).isEqualTo(404);
    assertThat(theirs.delete("/v1/templates/isolated").status()).isEqualTo(404);
    assertThat(theirs.post("/v1/templates/isolated/preview", "{}").status()).isEqualTo(404);
    assertThat(keys(ok(theirs.get("/v1/templates")))).isEmpty();

    var theirOwn = theirs.put("/v1/templates/isolated", simple("Theirs"));
    assertThat(theirOwn.status()).as(theirOwn.toString()).isEqualTo(201);
    assertThat(theirOwn.json().get("version").asInt()).isEqualTo(1);
    assertThat(ok(api.get("/v1/templates/isolated")).at("/locales/en/title").asString())
        .isEqualTo("Ours");

    assertThat(server.anonymous().get("/v1/templates/isolated").status()).isEqualTo(401);
    var publishable = new ApiClient(server.baseUrl()).withKey(TestServer.PUBLISHABLE_KEY);
    assertThat(publishable.get("/v1/templates/isolated").status()).isEqualTo(403);
    assertThat(publishable.put("/v1/templates/isolated", simple("No")).status()).isEqualTo(403);
  }

  @Test
  void invalidTemplatesAreRefusedNamingEachFieldAtFault() {
    assertProblem(
        api.put(
            "/v1/templates/broken",
            """
            {"default_locale": "en",
             "locales": {"en": {"title": "Hi"},
                         "de": {"title": "Hallo", "email": {"subject": "x", "html": "<p>{{#open}}</p>"}}}}
            """),
        400,
        "locales.de.email.html");
    assertProblem(
        api.put(
            "/v1/templates/broken",
            """
            {"default_locale": "en", "locales": {"en": {"title": "Hi", "subtitle": "no"}}}
            """),
        400,
        "locales.en.subtitle");
    assertProblem(
        api.put(
            "/v1/templates/broken",
            """
            {"default_locale": "en", "locales": {"en": {"title": "Hi"}}, "colour": "blue"}
            """),
        400,
        "colour");
    assertProblem(
        api.put(
            "/v1/templates/broken",
            """
            {"default_locale": "fr", "locales": {"en": {"title": "Hi"}}}
            """),
        400,
        "default_locale");
    assertProblem(
        api.put("/v1/templates/broken", "{\"locales\": {\"en\": {\"title\": \"Hi\"}}}"),
        400,
        "default_locale");
    assertProblem(
        api.put(
            "/v1/templates/broken",
            """
            {"default_locale": "en", "locales": {"en": {"title": "Hi"}, "not a tag!": {"title": "?"}}}
            """),
        400,
        "locales.not a tag!");
    assertProblem(
        api.put(
            "/v1/templates/broken",
            """
            {"default_locale": "en", "locales": {"en": {"url": "https://example.com"}}}
            """),
        400,
        "locales.en");
    assertProblem(
        api.put(
            "/v1/templates/broken",
            """
            {"default_locale": "en", "locales": {"en": {"title": "{{> header}} Hi"}}}
            """),
        400,
        "locales.en.title");
    assertProblem(
        api.put(
            "/v1/templates/broken",
            """
            {"default_locale": "en", "locales": {"en": {"title": "Hi", "data": {"link": "{{/x}}"}}}}
            """),
        400,
        "locales.en.data.link");
    assertProblem(
        api.put(
            "/v1/templates/broken",
            """
            {"default_locale": "en", "locales": {"en": {"title": "Hi"}},
             "digest": {"de": {"title": "{{count}} neu"}}}
            """),
        400,
        "digest");
    assertProblem(
        api.put(
            "/v1/templates/broken",
            """
            {"default_locale": "en", "locales": {"en": {"title": "Hi", "email": {"html": "<p>x</p>"}}}}
            """),
        400,
        "locales.en.email.subject");
    for (String title : List.of("{{<parent}}{{/parent}}", "{{}}", "{{.}}", "{{this}} x")) {
      assertProblem(api.put("/v1/templates/broken", simple(title)), 400, "locales.en.title");
    }
    assertProblem(api.put("/v1/templates/Broken", simple("x")), 400, "key");
    assertProblem(api.put("/v1/templates/broken", "[]"), 400, "body");
    assertThat(api.get("/v1/templates/broken").status()).isEqualTo(404);
  }

  @Test
  void oddBodiesAreRefusedWithA400NeverAServerError() {
    List<String> bodies =
        List.of(
            "null",
            "{}",
            "{\"default_locale\": \"\", \"locales\": {\"\": {\"title\": \"x\"}}}",
            "{\"default_locale\": \"en\", \"locales\": null}",
            "{\"default_locale\": \"en\", \"locales\": {\"en\": null}}",
            "{\"default_locale\": \"en\", \"locales\": {\"en\": \"Hi\"}}",
            "{\"default_locale\": \"en\", \"locales\": {\"en\": {\"title\": 5, \"data\": []}}}",
            "{\"default_locale\": \"en\", \"locales\": {\"en\": {\"title\": \"x\", \"email\": \"x\"}}}",
            "{\"default_locale\": \"en\", \"locales\": {\"en\": {\"title\": \"x\", \"sms\": {}}}}",
            "{\"default_locale\": \"en\", \"locales\": {\"en\": {\"title\": \"x\"}, \"EN\": {\"title\": \"y\"}}}",
            "{\"default_locale\": [\"en\"], \"locales\": {\"en\": {\"title\": \"x\"}}}");
    for (String body : bodies) {
      var r = api.put("/v1/templates/odd", body);
      assertThat(r.status()).as(body + " → " + r).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    assertThat(api.put("/v1/templates/odd-preview", simple("x")).status()).isEqualTo(201);
    for (String body :
        List.of(
            "null",
            "[]",
            "{\"vars\": []}",
            "{\"items\": [1]}",
            "{\"items\": [null]}",
            "{\"version\": 0}",
            "{\"version\": 99999999999}",
            "{\"subscriber_id\": \"bad id!\"}")) {
      var r = api.post("/v1/templates/odd-preview/preview", body);
      assertThat(r.status()).as(body + " → " + r).isEqualTo(400);
    }
    assertThat(api.get("/v1/templates/odd").status()).isEqualTo(404);
  }

  @Test
  void everyProblemOfOneTemplateIsReportedAtOnce() {
    var r =
        api.put(
            "/v1/templates/many-problems",
            """
            {"default_locale": "en",
             "locales": {"en": {"title": "{{#a}}", "body": "{{/b}}"},
                         "de": {"sms": {"text": "{{#c}}"}}}}
            """);
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()))
        .containsExactlyInAnyOrder("locales.en.title", "locales.en.body", "locales.de.sms.text");
  }

  static String simple(String title) {
    return """
        {"default_locale": "en", "locales": {"en": {"title": "%s"}}}
        """
        .formatted(title);
  }

  static JsonNode ok(ApiClient.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static List<String> keys(ApiClient.Response r) {
    return keys(ok(r));
  }

  private static List<String> keys(JsonNode page) {
    return page.get("data").valueStream().map(t -> t.get("key").asString()).toList();
  }

  static void assertProblem(ApiClient.Response r, int status, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()))
        .as(r.toString())
        .contains(field);
  }
}
