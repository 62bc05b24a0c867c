package dev.herald.preference;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * Each app's categories, read once and kept briefly, so fan-out pages ask the database only for
 * subscribers. A change made on this node is seen at once; one made on another node within {@link
 * #TTL}. Thread-safe.
 */
final class CategoryCache {
  static final Duration TTL = Duration.ofSeconds(5);

  private record Entry(Map<String, CategorySettings> categories, long loadedAt) {}

  private final CategoryRepository repo;
  private final Clock clock;
  private final Map<String, Entry> byApp = new ConcurrentHashMap<>();

  CategoryCache(CategoryRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /** The app's categories by key, loaded on {@code h} when not cached or too old. */
  Map<String, CategorySettings> of(Handle h, String appId) {
    long now = clock.millis();
    Entry e = byApp.get(appId);
    if (e == null || now - e.loadedAt() >= TTL.toMillis() || now < e.loadedAt()) {
      e = new Entry(Map.copyOf(repo.all(h, appId)), now);
      byApp.put(appId, e);
    }
    return e.categories();
  }

  /** Settings of one category, or null when the app has not defined it (or {@code key} is null). */
  CategorySettings get(Handle h, String appId, String key) {
    return key == null ? null : of(h, appId).get(key);
  }

  void forget(String appId) {
    byApp.remove(appId);
  }
}
