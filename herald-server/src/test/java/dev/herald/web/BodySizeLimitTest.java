package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BodySizeLimitTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.builder().env("HERALD_MAX_BODY_BYTES", "2048").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void bodyOverTheLimitIsRefusedAs413() {
    String big = "{\"title\":\"" + "x".repeat(4096) + "\"}";

    for (String[] route :
        List.of(
            new String[] {"POST", "/v1/notifications"},
            new String[] {"POST", "/v1/devices"},
            new String[] {"PUT", "/v1/subscribers/big"},
            new String[] {"PUT", "/v1/topics/big/subscribers"})) {
      var r = server.api().send(route[0], route[1], big, "application/json");
      assertThat(r.status()).as("%s %s: %s", route[0], route[1], r).isEqualTo(413);
      BadInputTest.assertProblem(r);
      assertThat(r.json().get("code").asString()).isEqualTo("payload_too_large");
    }
    assertThat(server.api().get("/v1/subscribers/big").status()).isEqualTo(404);
  }

  @Test
  void bodyWithinTheLimitIsAccepted() {
    var r =
        server
            .api()
            .put("/v1/subscribers/small", Map.of("attributes", Map.of("bio", "y".repeat(1500))));

    assertThat(r.status()).isEqualTo(201);
  }

  @Test
  void limitHoldsWithoutContentLength() throws Exception {
    // A chunked body declares no length up front; the limit must hold all the same.
    String body = "{\"attributes\":{\"bio\":\"" + "z".repeat(8000) + "\"}}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/subscribers/chunked"))
            .header("Authorization", "Bearer " + TestServer.SECRET_KEY)
            .header("Content-Type", "application/json")
            .PUT(
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(body)))
            .build();

    HttpResponse<String> raw =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

    var r = new ApiClient.Response(raw.statusCode(), raw.body(), raw.headers().map());
    assertThat(r.status()).as(r.toString()).isEqualTo(413);
    BadInputTest.assertProblem(r);
    assertThat(server.api().get("/v1/subscribers/chunked").status()).isEqualTo(404);
  }
}
