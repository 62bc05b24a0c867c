package dev.herald.app;

import dev.herald.store.Database;
import dev.herald.store.Tx;
import java.util.List;
import java.util.Optional;

/** Apps and their API keys. */
public final class AppRepository {
  private final Database db;

  public AppRepository(Database db) {
    this.db = db;
  }

  public record App(String id, String name, String subscriberSecret, long createdAt) {}

  public record ApiKey(
      String id,
      String appId,
      String kind,
      String name,
      String prefix,
      byte[] hash,
      long createdAt,
      Long revokedAt) {
    public boolean secret() {
      return kind.equals("secret");
    }
  }

  public void insertApp(Tx tx, App app) {
    tx.handle()
        .createUpdate(
            "INSERT INTO apps (id, name, subscriber_secret, created_at) VALUES (:id, :name, :secret, :at)")
        .bind("id", app.id())
        .bind("name", app.name())
        .bind("secret", app.subscriberSecret())
        .bind("at", app.createdAt())
        .execute();
  }

  public void insertKey(Tx tx, ApiKey key) {
    tx.handle()
        .createUpdate(
            "INSERT INTO api_keys (id, app_id, kind, name, prefix, hash, created_at)"
                + " VALUES (:id, :app, :kind, :name, :prefix, :hash, :at)")
        .bind("id", key.id())
        .bind("app", key.appId())
        .bind("kind", key.kind())
        .bind("name", key.name())
        .bind("prefix", key.prefix())
        .bind("hash", key.hash())
        .bind("at", key.createdAt())
        .execute();
  }

  public boolean nameTaken(Tx tx, String name) {
    return tx.handle()
            .createQuery("SELECT COUNT(*) FROM apps WHERE name = :n")
            .bind("n", name)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  public Optional<App> app(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT * FROM apps WHERE id = :id")
                .bind("id", id)
                .map(AppRepository::mapApp)
                .findOne());
  }

  public Optional<App> appByName(String name) {
    return db.read(
        h ->
            h.createQuery("SELECT * FROM apps WHERE name = :n")
                .bind("n", name)
                .map(AppRepository::mapApp)
                .findOne());
  }

  public List<App> apps(Optional<String> after, int limit) {
    return db.read(
        h ->
            h.createQuery("SELECT * FROM apps WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", after.orElse(""))
                .bind("limit", limit)
                .map(AppRepository::mapApp)
                .list());
  }

  public long countApps() {
    return db.read(h -> h.createQuery("SELECT COUNT(*) FROM apps").mapTo(Long.class).one());
  }

  public Optional<ApiKey> keyByHash(byte[] hash) {
    return db.read(
        h ->
            h.createQuery("SELECT * FROM api_keys WHERE hash = :hash AND revoked_at IS NULL")
                .bind("hash", hash)
                .map(AppRepository::mapKey)
                .findOne());
  }

  public List<ApiKey> keys(String appId, Optional<String> after, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM api_keys WHERE app_id = :app AND id > :after ORDER BY id LIMIT :limit")
                .bind("app", appId)
                .bind("after", after.orElse(""))
                .bind("limit", limit)
                .map(AppRepository::mapKey)
                .list());
  }

  public boolean revoke(Tx tx, String appId, String keyId, long at) {
    return tx.handle()
            .createUpdate(
                "UPDATE api_keys SET revoked_at = :at WHERE app_id = :app AND id = :id AND revoked_at IS NULL")
            .bind("at", at)
            .bind("app", appId)
            .bind("id", keyId)
            .execute()
        > 0;
  }

  public Optional<String> setting(String name) {
    return db.read(
        h ->
            h.createQuery("SELECT value FROM instance_settings WHERE name = :n")
                .bind("n", name)
                .mapTo(String.class)
                .findOne());
  }

  public void putSetting(Tx tx, String name, String value) {
    tx.handle()
        .createUpdate(
            "INSERT INTO instance_settings (name, value) VALUES (:n, :v) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
        .bind("n", name)
        .bind("v", value)
        .execute();
  }

  private static App mapApp(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    return new App(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("subscriber_secret"),
        rs.getLong("created_at"));
  }

  private static ApiKey mapKey(
      java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    long revoked = rs.getLong("revoked_at");
    Long revokedAt = rs.wasNull() ? null : revoked;
    return new ApiKey(
        rs.getString("id"),
        rs.getString("app_id"),
        rs.getString("kind"),
        rs.getString("name"),
        rs.getString("prefix"),
        rs.getBytes("hash"),
        rs.getLong("created_at"),
        revokedAt);
  }
}
