package dev.herald.preference;

import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Each app's notification categories and their settings. */
final class CategoryRepository {

  record Category(String key, CategorySettings settings, long createdAt, long updatedAt) {}

  Map<String, CategorySettings> all(Handle h, String appId) {
    Map<String, CategorySettings> all = new TreeMap<>();
    h.createQuery("SELECT * FROM categories WHERE app_id = :app")
        .bind("app", appId)
        .map(CategoryRepository::map)
        .forEach(c -> all.put(c.key(), c.settings()));
    return all;
  }

  Optional<Category> find(Handle h, String appId, String key) {
    return h.createQuery("SELECT * FROM categories WHERE app_id = :app AND key = :key")
        .bind("app", appId)
        .bind("key", key)
        .map(CategoryRepository::map)
        .findOne();
  }

  List<Category> list(Handle h, String appId, Optional<String> after, int limit) {
    return h.createQuery(
            "SELECT * FROM categories WHERE app_id = :app AND key > :after ORDER BY key LIMIT :limit")
        .bind("app", appId)
        .bind("after", after.orElse(""))
        .bind("limit", limit)
        .map(CategoryRepository::map)
        .list();
  }

  int count(Handle h, String appId) {
    return h.createQuery("SELECT COUNT(*) FROM categories WHERE app_id = :app")
        .bind("app", appId)
        .mapTo(Integer.class)
        .one();
  }

  /** Creates or replaces a category; answers true when it is new. */
  boolean save(Tx tx, String appId, String key, CategorySettings settings, long now) {
    boolean exists = find(tx.handle(), appId, key).isPresent();
    tx.handle()
        .createUpdate(
            "INSERT INTO categories (app_id, key, settings, created_at, updated_at) VALUES (:app, :key, :settings, :now, :now)"
                + " ON CONFLICT (app_id, key) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at")
        .bind("app", appId)
        .bind("key", key)
        .bind("settings", Json.write(settings))
        .bind("now", now)
        .execute();
    return !exists;
  }

  boolean delete(Tx tx, String appId, String key) {
    return tx.handle()
            .createUpdate("DELETE FROM categories WHERE app_id = :app AND key = :key")
            .bind("app", appId)
            .bind("key", key)
            .execute()
        > 0;
  }

  private static Category map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Category(
        rs.getString("key"),
        Json.MAPPER.readValue(rs.getString("settings"), CategorySettings.class),
        rs.getLong("created_at"),
        rs.getLong("updated_at"));
  }
}
