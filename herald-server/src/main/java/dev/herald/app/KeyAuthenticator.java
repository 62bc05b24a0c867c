package dev.herald.app;

import dev.herald.web.Authenticator;
import dev.herald.web.Caller;
import java.util.Optional;

/** Resolves API keys against their stored hashes and subscriber tokens against app secrets. */
public final class KeyAuthenticator implements Authenticator {
  private final AppRepository repo;
  private final SubscriberTokens tokens;
  private final byte[] adminHash;

  public KeyAuthenticator(AppRepository repo, SubscriberTokens tokens, byte[] adminHash) {
    this.repo = repo;
    this.tokens = tokens;
    this.adminHash = adminHash.clone();
  }

  @Override
  public Optional<Caller> key(String key) {
    byte[] hash = Keys.hash(key);
    if (Keys.same(hash, adminHash)) return Optional.of(new Caller.Admin());
    return repo.keyByHash(hash)
        .filter(k -> Keys.same(k.hash(), hash))
        .map(k -> new Caller.AppKey(k.appId(), k.id(), k.secret()));
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
