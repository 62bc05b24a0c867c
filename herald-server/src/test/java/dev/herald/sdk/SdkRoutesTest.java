package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SdkRoutesTest {
  static final String PAGE_ORIGIN = "https://shop.example.com";
  static TestServer server;
  static ApiClient http;

  @BeforeAll
  static void start() {
    server = TestServer.builder().env("HERALD_CORS_ORIGINS", PAGE_ORIGIN).start();
    http = server.anonymous();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyModuleIsJavaScriptWithAShortCacheLifetimeAndAnEtag() {
    for (String file : SdkRoutes.FILES) {
      var r = http.get("/sdk/" + file);
      assertThat(r.status()).as(file).isEqualTo(200);
      assertThat(r.body()).as(file).isNotBlank();
      assertThat(r.header("Cache-Control")).isEqualTo("public, max-age=300");
      assertThat(r.header("ETag")).matches("\"[0-9a-f]{24}\"");
      assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(r.contentType().replace(" ", ""))
          .isEqualTo(
              file.endsWith(".html") ? "text/html;charset=utf-8" : "text/javascript;charset=utf-8");
    }
  }

  @Test
  void anUnchangedFileAnswersNotModified() {
    String etag = http.get("/sdk/herald.js").header("ETag");

    var again = http.withHeader("If-None-Match", etag).get("/sdk/herald.js");
    var other = http.withHeader("If-None-Match", "\"stale\"").get("/sdk/herald.js");

    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(other.status()).isEqualTo(200);
  }

  @Test
  void theServiceWorkerMayControlTheWholeOrigin() {
    assertThat(http.get("/sdk/herald-sw.js").header("Service-Worker-Allowed")).isEqualTo("/");
    assertThat(http.get("/sdk/herald.js").header("Service-Worker-Allowed")).isNull();
  }

  @Test
  void pagesOnAllowedOriginsMayImportTheModulesAndOthersMayNot() {
    var allowed = http.withHeader("Origin", PAGE_ORIGIN).get("/sdk/herald-inbox.js");
    var other = http.withHeader("Origin", "https://evil.example.net").get("/sdk/herald-inbox.js");

    assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(PAGE_ORIGIN);
    assertThat(allowed.header("Access-Control-Allow-Credentials")).isNull();
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void unknownNamesTraversalAndTheFolderItselfAreNotFoundProblems() {
    for (String path :
        new String[] {
          "/sdk/nope.js",
          "/sdk/",
          "/sdk",
          "/sdk/..%2Fapi%2Fopenapi.json",
          "/sdk/%2e%2e%2fapi%2fopenapi.json",
          "/sdk/HERALD.JS"
        }) {
      var r = http.get(path);
      assertThat(r.status()).as(path).isIn(400, 404);
      assertThat(r.contentType()).as(path).isEqualTo("application/problem+json");
      assertThat(r.body()).as(path).doesNotContain("\"paths\"").doesNotContain("createHerald");
    }
    assertThat(http.get("/sdk/nope.js").json().get("code").asString()).isEqualTo("not_found");
  }
}
