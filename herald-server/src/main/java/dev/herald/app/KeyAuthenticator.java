package dev.herald.app;

import dev.herald.web.Authenticator;
import dev.herald.web.Caller;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves API keys against their stored hashes and subscriber tokens against app secrets. A key
 * found is remembered for {@link #CACHE_MILLIS} so busy clients do not cost a database read per
 * request; revoking a key forgets it here at once, and other nodes of a cluster within that time.
 */
public final class KeyAuthenticator implements Authenticator {
  static final long CACHE_MILLIS = 1_000;

  private final AppRepository repo;
  private final SubscriberTokens tokens;
  private final byte[] adminHash;
  private final java.time.Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Caller.AppKey caller, long until) {}

  public KeyAuthenticator(
      AppRepository repo, SubscriberTokens tokens, byte[] adminHash, java.time.Clock clock) {
    this.repo = repo;
    this.tokens = tokens;
    this.adminHash = adminHash.clone();
    this.clock = clock;
  }

  /** Forgets a revoked key. */
  public void forget(String keyId) {
    cache.values().removeIf(c -> c.caller().keyId().equals(keyId));
  }

  @Override
  public Optional<Caller> key(String key) {
    byte[] hash = Keys.hash(key);
    if (Keys.same(hash, adminHash)) return Optional.of(new Caller.Admin());
    String cacheKey = HexFormat.of().formatHex(hash);
    long now = clock.millis();
    Cached cached = cache.get(cacheKey);
    if (cached != null && cached.until() > now) return Optional.of(cached.caller());
    Optional<Caller.AppKey> found =
        repo.keyByHash(hash)
            .filter(k -> Keys.same(k.hash(), hash))
            .map(k -> new Caller.AppKey(k.appId(), k.id(), k.secret()));
    if (found.isPresent()) {
      cache.put(cacheKey, new Cached(found.get(), now + CACHE_MILLIS));
    } else {
      cache.remove(cacheKey);
    }
    return found.map(Caller.class::cast);
  }

  @Override
  public Optional<Caller.Subscriber> subscriberToken(
      String token, Optional<Caller.AppKey> publishable) {
    Optional<String> appId = tokens.claimedApp(token);
    if (appId.isEmpty()) return Optional.empty();
    if (publishable.isPresent() && !publishable.get().appId().equals(appId.get()))
      return Optional.empty();
    return repo.app(appId.get())
        .flatMap(app -> tokens.verify(token, app.subscriberSecret()))
        .map(sub -> new Caller.Subscriber(appId.get(), sub));
  }
}
