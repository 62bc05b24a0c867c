package dev.herald.realtime;

import dev.herald.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract against a real {@code redis-server}. */
class RedisEventBusIT extends EventBusContract {
  private static TestRedis redis;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  protected EventBus openNode() {
    return RedisEventBus.connect(redis.url());
  }

  @Override
  protected boolean crossesNodes() {
    return true;
  }

  @Override
  protected boolean mayDropBodies() {
    return true;
  }

  @Override
  protected boolean stopServer() {
    redis.kill();
    return true;
  }

  @Override
  protected void startServer() {
    redis.restart();
  }
}
