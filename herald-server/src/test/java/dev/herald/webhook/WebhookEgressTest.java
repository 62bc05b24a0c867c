package dev.herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With private endpoints not allowed (the default), webhook URLs must be public https. */
class WebhookEgressTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.builder().env("HERALD_ALLOW_PRIVATE_ENDPOINTS", "false").start();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void privateLoopbackMetadataAndPlainHttpUrlsAreRefused() {
    Map<String, String> refused =
        Map.of(
            "http://hooks.example.com/in", "must be an https URL",
            "https://127.0.0.1/in",
                "resolves to a private, loopback or link-local address (127.0.0.1)",
            "https://10.20.30.40/in",
                "resolves to a private, loopback or link-local address (10.20.30.40)",
            "https://169.254.169.254/latest/meta-data",
                "resolves to a private, loopback or link-local address (169.254.169.254)",
            "https://[::1]:8443/in",
                "resolves to a private, loopback or link-local address (0:0:0:0:0:0:0:1)",
            "https://localhost/in", "points at a local or internal host",
            "https://metadata.google.internal/", "points at a local or internal host");
    refused.forEach(
        (url, why) -> {
          var r = api.post("/v1/webhooks", Map.of("url", url, "events", List.of("*")));
          assertThat(r.status()).as(url).isEqualTo(400);
          assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("url");
          assertThat(r.json().get("errors").get(0).get("message").asString())
              .as(url)
              .isEqualTo(why);
        });
  }

  @Test
  void anUpdateToAPrivateUrlIsRefusedToo() {
    var created =
        api.post(
            "/v1/webhooks", Map.of("url", "https://hooks.example.com/in", "events", List.of("*")));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asString();
    var r =
        WebhookApiTest.patch(api, "/v1/webhooks/" + id, Map.of("url", "https://192.168.1.10/in"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(api.get("/v1/webhooks/" + id).json().get("url").asString())
        .isEqualTo("https://hooks.example.com/in");
  }
}
