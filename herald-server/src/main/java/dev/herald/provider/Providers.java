package dev.herald.provider;

import dev.herald.store.Database;
import dev.herald.web.ApiException;
import dev.herald.web.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-app provider credentials: validated on write, sealed at rest, never returned or logged in
 * clear. Reads are cached for a few seconds per node (a change made on another node of a cluster is
 * seen within that time; one made here at once). Thread-safe.
 */
public final class Providers {
  static final long CACHE_MILLIS = 5_000;
  public static final String REDACTED = "<redacted>";

  /** An app's configuration for one provider; {@code version} grows with every change. */
  public record Credentials(String appId, String kind, long version, Map<String, Object> config) {}

  private record Cached(long until, Optional<Credentials> value) {}

  private final Database db;
  private final SecretBox box;
  private final Map<String, ProviderSpec> specs;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  Providers(Database db, SecretBox box, Map<String, ProviderSpec> specs, Clock clock) {
    this.db = db;
    this.box = box;
    this.specs = Map.copyOf(specs);
    this.clock = clock;
  }

  public Set<String> kinds() {
    return specs.keySet();
  }

  public Optional<Credentials> find(String appId, String kind) {
    String key = appId + "/" + kind;
    Cached c = cache.get(key);
    long now = clock.millis();
    if (c != null && c.until() > now) return c.value();
    Optional<Credentials> loaded = load(appId, kind);
    cache.put(key, new Cached(now + CACHE_MILLIS, loaded));
    return loaded;
  }

  private Optional<Credentials> load(String appId, String kind) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT sealed, version FROM provider_credentials WHERE app_id = :app AND kind = :kind")
                .bind("app", appId)
                .bind("kind", kind)
                .map(
                    (rs, ctx) ->
                        new Credentials(
                            appId,
                            kind,
                            rs.getLong("version"),
                            open(appId, kind, rs.getBytes("sealed"))))
                .findOne());
  }

  /** Validates and stores an app's credentials for {@code kind}, replacing earlier ones. */
  public Credentials put(String appId, String kind, Map<String, Object> body) {
    Map<String, Object> config = spec(kind).validate(body);
    byte[] sealed =
        box.seal(Json.write(config).getBytes(StandardCharsets.UTF_8), context(appId, kind));
    long version =
        db.write(
            tx ->
                tx.handle()
                    .createQuery(
                        "INSERT INTO provider_credentials (app_id, kind, sealed, version, updated_at) VALUES (:app, :kind, :sealed, 1, :now)"
                            + " ON CONFLICT (app_id, kind) DO UPDATE SET sealed = excluded.sealed,"
                            + " version = provider_credentials.version + 1, updated_at = excluded.updated_at RETURNING version")
                    .bind("app", appId)
                    .bind("kind", kind)
                    .bind("sealed", sealed)
                    .bind("now", clock.millis())
                    .mapTo(Long.class)
                    .one());
    cache.remove(appId + "/" + kind);
    return new Credentials(appId, kind, version, config);
  }

  /**
   * The app's Web Push credentials, generating VAPID keys on first use. Two nodes generating at
   * once store one pair: the first insert wins and both answer it.
   */
  public Credentials webPush(String appId) {
    Optional<Credentials> existing = find(appId, "webpush");
    if (existing.isPresent()) return existing.get();
    Map<String, Object> config = spec("webpush").validate(Map.of());
    byte[] sealed =
        box.seal(Json.write(config).getBytes(StandardCharsets.UTF_8), context(appId, "webpush"));
    db.write(
        tx ->
            tx.handle()
                .createUpdate(
                    "INSERT INTO provider_credentials (app_id, kind, sealed, version, updated_at) VALUES (:app, 'webpush', :sealed, 1, :now)"
                        + " ON CONFLICT (app_id, kind) DO NOTHING")
                .bind("app", appId)
                .bind("sealed", sealed)
                .bind("now", clock.millis())
                .execute());
    cache.remove(appId + "/webpush");
    return find(appId, "webpush").orElseThrow();
  }

  public boolean delete(String appId, String kind) {
    spec(kind);
    boolean deleted =
        db.write(
                tx ->
                    tx.handle()
                        .createUpdate(
                            "DELETE FROM provider_credentials WHERE app_id = :app AND kind = :kind")
                        .bind("app", appId)
                        .bind("kind", kind)
                        .execute())
            > 0;
    cache.remove(appId + "/" + kind);
    return deleted;
  }

  /**
   * The configuration with every secret field replaced by {@value #REDACTED}; a path ending in
   * {@code *} redacts every value of that object (e.g. {@code headers.*}).
   */
  public Map<String, Object> redacted(Credentials c) {
    Map<String, Object> copy = deepCopy(c.config());
    for (String path : spec(c.kind()).secretFields()) redact(copy, path.split("\\."), 0);
    return copy;
  }

  private ProviderSpec spec(String kind) {
    ProviderSpec spec = specs.get(kind);
    if (spec == null) throw ApiException.notFound("provider kind '" + kind + "'");
    return spec;
  }

  private Map<String, Object> open(String appId, String kind, byte[] sealed) {
    return Json.map(new String(box.open(sealed, context(appId, kind)), StandardCharsets.UTF_8));
  }

  private static String context(String appId, String kind) {
    return "provider:" + appId + "/" + kind;
  }

  @SuppressWarnings("unchecked")
  private static void redact(Map<String, Object> map, String[] path, int i) {
    if (i == path.length - 1 && path[i].equals("*")) {
      map.replaceAll((k, v) -> REDACTED);
      return;
    }
    if (!map.containsKey(path[i])) return;
    if (i == path.length - 1) {
      map.put(path[i], REDACTED);
    } else if (map.get(path[i]) instanceof Map<?, ?> nested) {
      redact((Map<String, Object>) nested, path, i + 1);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach(
        (k, v) ->
            out.put(k, v instanceof Map<?, ?> nested ? deepCopy((Map<String, Object>) nested) : v));
    return out;
  }
}
