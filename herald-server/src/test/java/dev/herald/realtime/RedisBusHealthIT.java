package dev.herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an operator sees of the Redis bus: its state in /health, and a clear refusal to start. */
class RedisBusHealthIT {

  @Test
  void healthFollowsTheRedisConnection() {
    try (TestRedis redis = TestRedis.start();
        TestServer server =
            TestServer.builder()
                .env("HERALD_BUS", "redis")
                .env("HERALD_REDIS_URL", redis.url())
                .start()) {
      ApiClient anyone = server.anonymous();
      assertThat(bus(anyone)).isEqualTo("up");

      redis.kill();
      await().atMost(Duration.ofSeconds(20)).until(() -> bus(anyone).equals("down"));
      assertThat(anyone.get("/health").status()).isEqualTo(503);
      assertThat(anyone.get("/health/ready").status()).isEqualTo(503);

      redis.restart();
      await().atMost(Duration.ofSeconds(20)).until(() -> bus(anyone).equals("up"));
      assertThat(anyone.get("/health/ready").status()).isEqualTo(200);
    }
  }

  @Test
  void anUnreachableRedisStopsTheStartWithItsAddress() {
    TestRedis redis = TestRedis.start();
    redis.close();

    assertThatThrownBy(
            () ->
                TestServer.builder()
                    .env("HERALD_BUS", "redis")
                    .env("HERALD_REDIS_URL", redis.url())
                    .start()
                    .close())
        .hasMessageContaining("Cannot connect to Redis at 127.0.0.1:" + redis.port());
  }

  private static String bus(ApiClient client) {
    return client.get("/health").json().get("checks").get("bus").get("status").asString();
  }
}
