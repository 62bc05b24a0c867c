package dev.herald.webhook;

import dev.herald.provider.SecretBox;
import dev.herald.store.Database;
import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import tools.jackson.core.type.TypeReference;

/**
 * Webhook endpoints per app. Signing secrets are sealed under the master key, bound to their app
 * and endpoint, and opened only to sign. Thread-safe.
 */
final class WebhookStore {
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final Database db;
  private final SecretBox box;

  WebhookStore(Database db, SecretBox box) {
    this.db = db;
    this.box = box;
  }

  void insert(Tx tx, Webhook w, SigningSecret secret) {
    tx.handle()
        .createUpdate(
            "INSERT INTO webhooks (id, app_id, url, description, events, secret, enabled, failures, created_at, updated_at)"
                + " VALUES (:id, :app, :url, :description, :events, :secret, 1, 0, :now, :now)")
        .bind("id", w.id())
        .bind("app", w.appId())
        .bind("url", w.url())
        .bind("description", w.description())
        .bind("events", Json.write(w.events()))
        .bind("secret", seal(w, secret))
        .bind("now", w.createdAt())
        .execute();
  }

  Optional<Webhook> find(String appId, String id) {
    return db.read(h -> find(h, appId, id));
  }

  Optional<Webhook> find(Handle h, String appId, String id) {
    return h.createQuery("SELECT * FROM webhooks WHERE app_id = :app AND id = :id")
        .bind("app", appId)
        .bind("id", id)
        .map(WebhookStore::map)
        .findOne();
  }

  /** An endpoint with the secrets it signs with at {@code now}. */
  Optional<Webhook.Target> target(String appId, String id, long now) {
    return db.read(
        h ->
            h.createQuery("SELECT * FROM webhooks WHERE app_id = :app AND id = :id")
                .bind("app", appId)
                .bind("id", id)
                .map((rs, ctx) -> target(rs, ctx, now))
                .findOne());
  }

  private Webhook.Target target(ResultSet rs, StatementContext ctx, long now) throws SQLException {
    Webhook w = map(rs, ctx);
    List<SigningSecret> secrets = new ArrayList<>(2);
    secrets.add(open(w, rs.getBytes("secret")));
    byte[] previous = rs.getBytes("previous_secret");
    if (previous != null
        && w.previousSecretExpiresAt() != null
        && w.previousSecretExpiresAt() > now) {
      secrets.add(open(w, previous));
    }
    return new Webhook.Target(w, List.copyOf(secrets));
  }

  /** Endpoints in id order, after {@code after}. */
  List<Webhook> list(String appId, Optional<String> after, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM webhooks WHERE app_id = :app AND id > :after ORDER BY id LIMIT :limit")
                .bind("app", appId)
                .bind("after", after.orElse(""))
                .bind("limit", limit)
                .map(WebhookStore::map)
                .list());
  }

  /** The enabled endpoints of {@code appIds}. */
  List<Webhook> enabled(Handle h, Collection<String> appIds) {
    if (appIds.isEmpty()) return List.of();
    return h.createQuery("SELECT * FROM webhooks WHERE app_id IN (<apps>) AND enabled = 1")
        .bindList("apps", List.copyOf(appIds))
        .map(WebhookStore::map)
        .list();
  }

  void update(Tx tx, Webhook w) {
    tx.handle()
        .createUpdate(
            "UPDATE webhooks SET url = :url, description = :description, events = :events, enabled = :enabled,"
                + " failures = :failures, disabled_reason = :reason, disabled_at = :disabledAt, updated_at = :now"
                + " WHERE app_id = :app AND id = :id")
        .bind("url", w.url())
        .bind("description", w.description())
        .bind("events", Json.write(w.events()))
        .bind("enabled", w.enabled() ? 1 : 0)
        .bind("failures", w.failures())
        .bind("reason", w.disabledReason())
        .bind("disabledAt", w.disabledAt())
        .bind("now", w.updatedAt())
        .bind("app", w.appId())
        .bind("id", w.id())
        .execute();
  }

  /** Replaces the secret; the one it replaces keeps signing until {@code previousUntil}. */
  void rotate(Tx tx, Webhook w, SigningSecret next, long previousUntil, long now) {
    tx.handle()
        .createUpdate(
            "UPDATE webhooks SET previous_secret = secret, previous_expires_at = :until, secret = :secret,"
                + " updated_at = :now WHERE app_id = :app AND id = :id")
        .bind("until", previousUntil)
        .bind("secret", seal(w, next))
        .bind("now", now)
        .bind("app", w.appId())
        .bind("id", w.id())
        .execute();
  }

  boolean delete(Tx tx, String appId, String id) {
    boolean deleted =
        tx.handle()
                .createUpdate("DELETE FROM webhooks WHERE app_id = :app AND id = :id")
                .bind("app", appId)
                .bind("id", id)
                .execute()
            > 0;
    if (deleted) {
      tx.handle()
          .createUpdate("DELETE FROM webhook_attempts WHERE webhook_id = :id")
          .bind("id", id)
          .execute();
    }
    return deleted;
  }

  /** A message reached the endpoint: the run of failed messages ends. */
  void succeeded(Tx tx, String id) {
    tx.handle()
        .createUpdate("UPDATE webhooks SET failures = 0 WHERE id = :id AND failures <> 0")
        .bind("id", id)
        .execute();
  }

  /**
   * A message failed every attempt; the endpoint is disabled once {@code disableAfter} messages in
   * a row have. Answers whether this disabled it.
   */
  boolean messageFailed(Tx tx, String id, String error, int disableAfter, long now) {
    Optional<Long> failures =
        tx.handle()
            .createQuery(
                "UPDATE webhooks SET failures = failures + 1 WHERE id = :id AND enabled = 1 RETURNING failures")
            .bind("id", id)
            .mapTo(Long.class)
            .findOne();
    if (failures.isEmpty() || failures.get() < disableAfter) return false;
    return disable(
        tx,
        id,
        failures.get() + " messages in a row failed every attempt; the last: " + error,
        now);
  }

  /** Disables an enabled endpoint with the reason; answers whether it was enabled. */
  boolean disable(Tx tx, String id, String reason, long now) {
    return tx.handle()
            .createUpdate(
                "UPDATE webhooks SET enabled = 0, disabled_reason = :reason, disabled_at = :now, updated_at = :now"
                    + " WHERE id = :id AND enabled = 1")
            .bind("reason", reason.length() <= 500 ? reason : reason.substring(0, 500))
            .bind("now", now)
            .bind("id", id)
            .execute()
        > 0;
  }

  private byte[] seal(Webhook w, SigningSecret secret) {
    return box.seal(secret.text().getBytes(StandardCharsets.UTF_8), context(w));
  }

  private SigningSecret open(Webhook w, byte[] sealed) {
    return new SigningSecret(new String(box.open(sealed, context(w)), StandardCharsets.UTF_8));
  }

  private static String context(Webhook w) {
    return "webhook:" + w.appId() + "/" + w.id();
  }

  private static Webhook map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Webhook(
        rs.getString("id"),
        rs.getString("app_id"),
        rs.getString("url"),
        rs.getString("description"),
        Json.MAPPER.readValue(rs.getString("events"), STRINGS),
        rs.getInt("enabled") == 1,
        rs.getLong("failures"),
        rs.getString("disabled_reason"),
        nullableLong(rs, "disabled_at"),
        nullableLong(rs, "previous_expires_at"),
        rs.getLong("created_at"),
        rs.getLong("updated_at"));
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
