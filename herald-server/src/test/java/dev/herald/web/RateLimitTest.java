package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.builder().env("HERALD_RATE_LIMIT", "5").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void spentBurstAnswers429WithRetryAfterAndOtherKeysAreUnaffected() {
    // Made first, so making it does not spend from the bucket under test afterwards.
    String otherKey =
        server.api().post("/v1/keys", Map.of("kind", "secret")).json().get("key").asString();
    ApiClient other = server.anonymous().withKey(otherKey);
    ApiClient publishable = server.anonymous().withKey(TestServer.PUBLISHABLE_KEY);

    ApiClient.Response limited = null;
    int accepted = 0;
    // The bucket holds a burst of twice the rate and refills at 5/s: far fewer than 200 calls.
    for (int i = 0; i < 200 && limited == null; i++) {
      var r = server.api().get("/v1/subscribers");
      if (r.status() == 429) limited = r;
      else {
        assertThat(r.status()).isEqualTo(200);
        accepted++;
      }
    }

    assertThat(limited).as("no 429 after %d requests", accepted).isNotNull();
    assertThat(accepted).isGreaterThanOrEqualTo(9);
    assertThat(limited.contentType()).startsWith("application/problem+json");
    assertThat(limited.json().get("code").asString()).isEqualTo("rate_limited");
    assertThat(limited.json().get("status").asInt()).isEqualTo(429);
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
    assertThat(other.get("/v1/subscribers").status()).isEqualTo(200);
    assertThat(
            publishable
                .post("/v1/devices", Map.of("token", "ExponentPushToken[ratelimit1]"))
                .status())
        .isEqualTo(201);
    assertThat(server.admin().get("/v1/apps").status()).isEqualTo(200);
  }

  @Test
  void unauthenticatedRoutesAreNotCountedAgainstKeys() {
    for (int i = 0; i < 30; i++) {
      assertThat(server.anonymous().get("/health/live").status()).isEqualTo(200);
    }
  }
}
