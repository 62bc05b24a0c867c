package dev.herald.template;

import dev.herald.store.Database;
import dev.herald.subscriber.Subscriber;
import dev.herald.web.ApiException;
import dev.herald.web.Json;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Notification templates: stored per app and key in numbered, immutable versions, and rendered per
 * recipient. This is the API other features use:
 *
 * <ul>
 *   <li>{@link #latest} resolves a key when a send is accepted; the send records the version.
 *   <li>{@link #version} loads the version a notification recorded (even after the key was replaced
 *       or deleted), then {@link CompiledTemplate#render}, {@link CompiledTemplate#renderer} (one
 *       send's recipients) or {@link CompiledTemplate#renderDigest} produce the content.
 *   <li>{@link #render} and {@link #renderDigest} do both in one call.
 * </ul>
 *
 * Compiled versions are cached by app, key and version; versions never change, so the cache is
 * never stale and every node may keep its own. Thread-safe.
 */
public final class Templates {
  /**
   * Template keys: 1-64 lower-case letters, digits, {@code . _ -}, starting with a letter or digit.
   */
  public static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  static final int MAX_SOURCE_CHARS = 256 * 1024;
  private static final int CACHE_SIZE = 1_000;

  private final Database db;
  private final TemplateRepository repo;
  private final Clock clock;
  private final Map<Version, CompiledTemplate> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Version, CompiledTemplate> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  public Templates(Database db, Clock clock) {
    this.db = db;
    this.repo = new TemplateRepository(db);
    this.clock = clock;
  }

  private record Version(String appId, String key, int version) {}

  /** The latest version of a key, compiled; empty if the app has no such template. */
  public Optional<CompiledTemplate> latest(String appId, String key) {
    return repo.latestVersion(appId, key).map(v -> version(appId, key, v));
  }

  /**
   * A version a notification recorded, compiled. Versions outlive their key's deletion, so this
   * only fails if the version never existed.
   *
   * @throws IllegalStateException if the app never had that version
   */
  public CompiledTemplate version(String appId, String key, int version) {
    Version id = new Version(appId, key, version);
    synchronized (cache) {
      CompiledTemplate cached = cache.get(id);
      if (cached != null) return cached;
    }
    String source =
        repo.source(appId, key, version)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "template " + key + " v" + version + " does not exist"));
    CompiledTemplate compiled =
        CompiledTemplate.compile(key, version, Json.MAPPER.readValue(source, TemplateSource.class));
    synchronized (cache) {
      cache.put(id, compiled);
    }
    return compiled;
  }

  /** {@link CompiledTemplate#render} of a stored version. */
  public Rendered render(
      String appId,
      String key,
      int version,
      String locale,
      Map<String, Object> vars,
      Subscriber subscriber) {
    return version(appId, key, version).render(locale, vars, subscriber);
  }

  /** {@link CompiledTemplate#renderDigest} of a stored version. */
  public Rendered renderDigest(
      String appId,
      String key,
      int version,
      String locale,
      Map<String, Object> vars,
      Subscriber subscriber,
      List<Map<String, Object>> items) {
    return version(appId, key, version).renderDigest(locale, vars, subscriber, items);
  }

  /** Checks and writes the next version of {@code key}; throws a 400 naming each invalid field. */
  TemplateRepository.Written put(String appId, String key, TemplateSource source) {
    String json = Json.write(source);
    if (json.length() > MAX_SOURCE_CHARS) {
      throw ApiException.invalid("body", "a template may be at most 256 KiB of JSON");
    }
    CompiledTemplate.compile(key, 0, source); // throws a 400 listing what is wrong
    return db.write(tx -> repo.write(tx, appId, key, json, clock.millis()));
  }

  Optional<TemplateRepository.Stored> find(String appId, String key, Optional<Integer> version) {
    return repo.find(appId, key, version);
  }

  List<TemplateRepository.Stored> list(String appId, Optional<String> after, int limit) {
    return repo.list(appId, after, limit);
  }

  boolean delete(String appId, String key) {
    return db.write(tx -> repo.delete(tx, appId, key, clock.millis()));
  }
}
