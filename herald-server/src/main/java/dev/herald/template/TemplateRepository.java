package dev.herald.template;

import dev.herald.store.Database;
import dev.herald.store.Tx;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Template keys and their immutable versions. */
final class TemplateRepository {
  private static final String JOINED =
      "SELECT t.template_key, t.version AS latest, t.created_at, v.version, v.source, v.created_at AS written"
          + " FROM templates t JOIN template_versions v"
          + " ON v.app_id = t.app_id AND v.template_key = t.template_key";

  private final Database db;

  TemplateRepository(Database db) {
    this.db = db;
  }

  /** A stored version, with its key's latest version and creation time. */
  record Stored(
      String key, int version, int latestVersion, String source, long createdAt, long writtenAt) {}

  /**
   * The version a write was given, and whether it created the key (or re-created a deleted one).
   */
  record Written(int version, boolean created, long createdAt) {}

  /**
   * Writes the next version of a key. The key row is the version counter: one upsert both numbers
   * the version and serialises concurrent writers, and a deleted key continues its numbering so a
   * version number always means one content.
   */
  Written write(Tx tx, String appId, String key, String source, long now) {
    Handle h = tx.handle();
    var row =
        h.createQuery(
                "INSERT INTO templates (app_id, template_key, version, created_version, created_at, updated_at)"
                    + " VALUES (:app, :key, 1, 1, :now, :now)"
                    + " ON CONFLICT (app_id, template_key) DO UPDATE SET version = templates.version + 1,"
                    + " created_version = CASE WHEN templates.deleted_at IS NULL THEN templates.created_version"
                    + " ELSE templates.version + 1 END,"
                    + " created_at = CASE WHEN templates.deleted_at IS NULL THEN templates.created_at"
                    + " ELSE excluded.created_at END,"
                    + " updated_at = excluded.updated_at, deleted_at = NULL"
                    + " RETURNING version, created_version, created_at")
            .bind("app", appId)
            .bind("key", key)
            .bind("now", now)
            .mapToMap()
            .one();
    int version = ((Number) row.get("version")).intValue();
    h.createUpdate(
            "INSERT INTO template_versions (app_id, template_key, version, source, created_at)"
                + " VALUES (:app, :key, :version, :source, :now)")
        .bind("app", appId)
        .bind("key", key)
        .bind("version", version)
        .bind("source", source)
        .bind("now", now)
        .execute();
    return new Written(
        version,
        version == ((Number) row.get("created_version")).intValue(),
        ((Number) row.get("created_at")).longValue());
  }

  /** The latest version of a key that is not deleted, or the given one of it. */
  Optional<Stored> find(String appId, String key, Optional<Integer> version) {
    String which = version.isPresent() ? "v.version = :version" : "v.version = t.version";
    return db.read(
        h ->
            h.createQuery(
                    JOINED
                        + " WHERE t.app_id = :app AND t.template_key = :key AND t.deleted_at IS NULL AND "
                        + which)
                .bind("app", appId)
                .bind("key", key)
                .bind("version", version.orElse(0))
                .map(TemplateRepository::map)
                .findOne());
  }

  /** The latest version of a key that is not deleted. */
  Optional<Integer> latestVersion(String appId, String key) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT version FROM templates WHERE app_id = :app AND template_key = :key"
                        + " AND deleted_at IS NULL")
                .bind("app", appId)
                .bind("key", key)
                .mapTo(Integer.class)
                .findOne());
  }

  /** The source of one version, deleted key or not: what an accepted notification renders. */
  Optional<String> source(String appId, String key, int version) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT source FROM template_versions WHERE app_id = :app AND template_key = :key"
                        + " AND version = :version")
                .bind("app", appId)
                .bind("key", key)
                .bind("version", version)
                .mapTo(String.class)
                .findOne());
  }

  /** The latest version of each key after {@code after}, in key order. */
  List<Stored> list(String appId, Optional<String> after, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    JOINED
                        + " WHERE t.app_id = :app AND t.deleted_at IS NULL AND v.version = t.version"
                        + " AND t.template_key > :after ORDER BY t.template_key LIMIT :limit")
                .bind("app", appId)
                .bind("after", after.orElse(""))
                .bind("limit", limit)
                .map(TemplateRepository::map)
                .list());
  }

  /** Deletes a key (its versions stay); answers false if there was none. */
  boolean delete(Tx tx, String appId, String key, long now) {
    return tx.handle()
            .createUpdate(
                "UPDATE templates SET deleted_at = :now, updated_at = :now"
                    + " WHERE app_id = :app AND template_key = :key AND deleted_at IS NULL")
            .bind("now", now)
            .bind("app", appId)
            .bind("key", key)
            .execute()
        > 0;
  }

  private static Stored map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    return new Stored(
        rs.getString("template_key"),
        rs.getInt("version"),
        rs.getInt("latest"),
        rs.getString("source"),
        rs.getLong("created_at"),
        rs.getLong("written"));
  }
}
