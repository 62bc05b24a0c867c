package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CorsTest {
  static final String ALLOWED = "https://app.example.com";
  static final String OTHER = "https://evil.example.net";
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.builder().env("HERALD_CORS_ORIGINS", ALLOWED).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void preflightFromAnAllowedOriginToTheInboxIsAnswered() {
    var r = preflight("/v1/inbox", ALLOWED, "GET");

    assertThat(r.status()).isBetween(200, 204);
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
    assertThat(r.header("Access-Control-Allow-Methods")).contains("GET");
    assertThat(r.header("Access-Control-Allow-Headers"))
        .containsIgnoringCase("Authorization")
        .containsIgnoringCase("X-Herald-Key");
    assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
  }

  @Test
  void preflightFromAnAllowedOriginToDevicesIsAnswered() {
    var r = preflight("/v1/devices", ALLOWED, "POST");

    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
    assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
  }

  @Test
  void preflightFromAnotherOriginGetsNoAllowHeaders() {
    var r = preflight("/v1/inbox", OTHER, "GET");

    assertThat(r.header("Access-Control-Allow-Origin")).isNull();
    assertThat(r.header("Access-Control-Allow-Methods")).isNull();
    assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
    assertThat(r.status()).isGreaterThanOrEqualTo(400).isLessThan(500);
  }

  @Test
  void secretRoutesNeverAnswerPreflights() {
    for (String path :
        List.of("/v1/notifications", "/v1/subscribers/x", "/v1/keys", "/v1/apps", "/v1/stats")) {
      var r = preflight(path, ALLOWED, "POST");

      assertThat(r.header("Access-Control-Allow-Origin")).as(path).isNull();
      assertThat(r.header("Access-Control-Allow-Methods")).as(path).isNull();
      assertThat(r.header("Access-Control-Allow-Headers")).as(path).isNull();
      assertThat(r.header("Access-Control-Allow-Credentials")).as(path).isNull();
      assertThat(r.status()).as(path).isGreaterThanOrEqualTo(400).isLessThan(500);
    }
  }

  @Test
  void actualRequestsCarryTheOriginOnlyOnClientRoutes() {
    server.api().put("/v1/subscribers/cors-user", Map.of());
    String token =
        server.api().post("/v1/subscribers/cors-user/token", null).json().get("token").asString();
    ApiClient browser = server.anonymous().withKey(token).withHeader("Origin", ALLOWED);

    var inbox = browser.get("/v1/inbox");
    var secret = server.api().withHeader("Origin", ALLOWED).get("/v1/subscribers");
    var foreign = server.anonymous().withKey(token).withHeader("Origin", OTHER).get("/v1/inbox");

    assertThat(inbox.status()).isEqualTo(200);
    assertThat(inbox.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
    assertThat(inbox.header("Access-Control-Allow-Credentials")).isNull();
    assertThat(secret.status()).isEqualTo(200);
    assertThat(secret.header("Access-Control-Allow-Origin")).isNull();
    assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
  }

  private static ApiClient.Response preflight(String path, String origin, String method) {
    return server
        .anonymous()
        .withHeader("Origin", origin)
        .withHeader("Access-Control-Request-Method", method)
        .withHeader("Access-Control-Request-Headers", "authorization, content-type")
        .send("OPTIONS", path, null, null);
  }
}
