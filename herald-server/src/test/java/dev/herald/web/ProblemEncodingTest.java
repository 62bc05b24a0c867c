package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProblemEncodingTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void nonAsciiTextInAProblemArrivesAsUtf8() {
    var r =
        server
            .api()
            .post(
                "/v1/notifications",
                Map.of(
                    "to", Map.of("subscribers", List.of("u1")),
                    "channels", List.of("fäx"),
                    "title", "x"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("errors").get(0).get("message").asString()).contains("'fäx'");
  }

  @Test
  void forbiddenDetailKeepsItsEllipsis() {
    var r = server.anonymous().withKey(TestServer.PUBLISHABLE_KEY).get("/v1/notifications");

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().get("detail").asString()).contains("(sk_…)");
  }
}
