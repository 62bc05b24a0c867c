package dev.herald.app;

import dev.herald.app.AppRepository.ApiKey;
import dev.herald.app.AppRepository.App;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.store.Tx;
import dev.herald.web.ApiException;
import dev.herald.web.ErrorCode;
import java.time.Clock;
import java.util.Optional;

/** Creating apps and issuing or revoking their keys. */
public final class AppService {
  private final Database db;
  private final AppRepository repo;
  private final Clock clock;
  private final Ids ids;
  private final java.util.List<java.util.function.Consumer<String>> revocationListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public AppService(Database db, AppRepository repo, Clock clock) {
    this.db = db;
    this.repo = repo;
    this.clock = clock;
    this.ids = new Ids(clock);
  }

  /** A new app with its first keys; the key values exist only in this answer. */
  public record CreatedApp(App app, String secretKey, String publishableKey) {}

  public record IssuedKey(ApiKey key, String value) {}

  public CreatedApp create(
      String name, Optional<String> secretKey, Optional<String> publishableKey) {
    return db.write(tx -> create(tx, name, secretKey, publishableKey));
  }

  CreatedApp create(
      Tx tx, String name, Optional<String> secretKey, Optional<String> publishableKey) {
    if (repo.nameTaken(tx, name)) {
      throw new ApiException(ErrorCode.CONFLICT, "an app named '" + name + "' already exists");
    }
    App app = new App(ids.next(), name, Keys.randomToken(32), clock.millis());
    repo.insertApp(tx, app);
    String sk = secretKey.orElseGet(() -> Keys.generate(Keys.SECRET));
    String pk = publishableKey.orElseGet(() -> Keys.generate(Keys.PUBLISHABLE));
    repo.insertKey(tx, key(app.id(), "secret", "initial", sk));
    repo.insertKey(tx, key(app.id(), "publishable", "initial", pk));
    return new CreatedApp(app, sk, pk);
  }

  public IssuedKey issue(String appId, String kind, String name) {
    String value = Keys.generate(kind.equals("secret") ? Keys.SECRET : Keys.PUBLISHABLE);
    ApiKey key = key(appId, kind, name, value);
    db.write(
        tx -> {
          repo.insertKey(tx, key);
          return null;
        });
    return new IssuedKey(key, value);
  }

  /** Called with each revoked key's id, after the revocation commits. */
  public void onRevoke(java.util.function.Consumer<String> listener) {
    revocationListeners.add(listener);
  }

  public void revoke(String appId, String keyId) {
    boolean revoked = db.write(tx -> repo.revoke(tx, appId, keyId, clock.millis()));
    if (!revoked) throw ApiException.notFound("key");
    revocationListeners.forEach(l -> l.accept(keyId));
  }

  private ApiKey key(String appId, String kind, String name, String value) {
    return new ApiKey(
        ids.next(),
        appId,
        kind,
        name,
        Keys.displayPrefix(value),
        Keys.hash(value),
        clock.millis(),
        null);
  }
}
