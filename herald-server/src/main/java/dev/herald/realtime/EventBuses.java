package dev.herald.realtime;

import dev.herald.config.HeraldConfig;
import dev.herald.store.Database;

/** Opens the bus that {@code HERALD_BUS} names. */
public final class EventBuses {
  private EventBuses() {}

  /**
   * The configured bus, connected and listening; throws when its server cannot be reached. The
   * configuration has already checked that {@code postgres} runs on PostgreSQL and that {@code
   * redis} has a URL.
   */
  public static EventBus open(HeraldConfig config, Database db) {
    return switch (config.bus()) {
      case "postgres" -> new PostgresEventBus(db);
      case "redis" -> RedisEventBus.connect(config.redisUrl().orElseThrow());
      default -> new LocalEventBus();
    };
  }
}
