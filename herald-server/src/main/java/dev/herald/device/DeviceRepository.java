package dev.herald.device;

import dev.herald.store.Database;
import dev.herald.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Devices, unique per app, provider and token. */
public final class DeviceRepository {
  private final Database db;

  public DeviceRepository(Database db) {
    this.db = db;
  }

  public Optional<Device> findByToken(Handle h, String appId, String provider, String token) {
    return h.createQuery(
            "SELECT * FROM devices WHERE app_id = :app AND provider = :p AND token = :t")
        .bind("app", appId)
        .bind("p", provider)
        .bind("t", token)
        .map(DeviceRepository::map)
        .findOne();
  }

  /** The devices of one provider registered with any of {@code tokens}, in one query. */
  public List<Device> findByTokens(
      Handle h, String appId, String provider, Collection<String> tokens) {
    if (tokens.isEmpty()) return List.of();
    return h.createQuery(
            "SELECT * FROM devices WHERE app_id = :app AND provider = :p AND token IN (<tokens>)")
        .bind("app", appId)
        .bind("p", provider)
        .bindList("tokens", List.copyOf(tokens))
        .map(DeviceRepository::map)
        .list();
  }

  public void insert(Tx tx, Device d) {
    tx.handle()
        .createUpdate(
            "INSERT INTO devices (id, app_id, subscriber_id, provider, platform, token, p256dh, auth, device_info, active,"
                + " last_seen_at, created_at) VALUES (:id, :app, :sub, :provider, :platform, :token, :p256dh, :auth, :info, 1,"
                + " :seen, :created)")
        .bind("id", d.id())
        .bind("app", d.appId())
        .bind("sub", d.subscriberId())
        .bind("provider", d.provider())
        .bind("platform", d.platform())
        .bind("token", d.token())
        .bind("p256dh", d.p256dh())
        .bind("auth", d.auth())
        .bind("info", d.deviceInfo())
        .bind("seen", d.lastSeenAt())
        .bind("created", d.createdAt())
        .execute();
  }

  /**
   * Refreshes a re-registered device: seen now, re-linked, reactivated, keys and details updated.
   */
  public void refresh(Tx tx, Device d, String id) {
    tx.handle()
        .createUpdate(
            "UPDATE devices SET subscriber_id = COALESCE(:sub, subscriber_id), platform = COALESCE(:platform, platform),"
                + " p256dh = COALESCE(:p256dh, p256dh), auth = COALESCE(:auth, auth), device_info = COALESCE(:info, device_info),"
                + " active = 1, deactivated_at = NULL, deactivated_reason = NULL, last_seen_at = :seen WHERE id = :id")
        .bind("sub", d.subscriberId())
        .bind("platform", d.platform())
        .bind("p256dh", d.p256dh())
        .bind("auth", d.auth())
        .bind("info", d.deviceInfo())
        .bind("seen", d.lastSeenAt())
        .bind("id", id)
        .execute();
  }

  public Optional<Device> find(String appId, String id) {
    return db.read(h -> find(h, appId, id));
  }

  public Optional<Device> find(Handle h, String appId, String id) {
    return h.createQuery("SELECT * FROM devices WHERE app_id = :app AND id = :id")
        .bind("app", appId)
        .bind("id", id)
        .map(DeviceRepository::map)
        .findOne();
  }

  public List<Device> findAll(String appId, Collection<String> ids) {
    return ids.isEmpty() ? List.of() : db.read(h -> findAll(h, appId, ids));
  }

  public List<Device> findAll(Handle h, String appId, Collection<String> ids) {
    if (ids.isEmpty()) return List.of();
    return h.createQuery("SELECT * FROM devices WHERE app_id = :app AND id IN (<ids>)")
        .bind("app", appId)
        .bindList("ids", List.copyOf(ids))
        .map(DeviceRepository::map)
        .list();
  }

  /** Active devices of the given subscribers, in one query for a whole fan-out page. */
  public List<Device> activeFor(Handle h, String appId, Collection<String> subscriberIds) {
    if (subscriberIds.isEmpty()) return List.of();
    return h.createQuery(
            "SELECT * FROM devices WHERE app_id = :app AND subscriber_id IN (<ids>) AND active = 1")
        .bind("app", appId)
        .bindList("ids", List.copyOf(subscriberIds))
        .map(DeviceRepository::map)
        .list();
  }

  public List<Device> ofSubscriber(
      String appId, String subscriberId, Optional<String> after, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM devices WHERE app_id = :app AND subscriber_id = :sub AND id > :after ORDER BY id LIMIT :limit")
                .bind("app", appId)
                .bind("sub", subscriberId)
                .bind("after", after.orElse(""))
                .bind("limit", limit)
                .map(DeviceRepository::map)
                .list());
  }

  public boolean deactivate(Tx tx, String appId, String id, String reason, long at) {
    return tx.handle()
            .createUpdate(
                "UPDATE devices SET active = 0, deactivated_at = :at, deactivated_reason = :reason"
                    + " WHERE app_id = :app AND id = :id AND active = 1")
            .bind("at", at)
            .bind("reason", reason)
            .bind("app", appId)
            .bind("id", id)
            .execute()
        > 0;
  }

  public static Device map(ResultSet rs, StatementContext ctx) throws SQLException {
    long deactivated = rs.getLong("deactivated_at");
    Long deactivatedAt = rs.wasNull() ? null : deactivated;
    return new Device(
        rs.getString("id"),
        rs.getString("app_id"),
        rs.getString("subscriber_id"),
        rs.getString("provider"),
        rs.getString("platform"),
        rs.getString("token"),
        rs.getString("p256dh"),
        rs.getString("auth"),
        rs.getString("device_info"),
        rs.getInt("active") == 1,
        deactivatedAt,
        rs.getString("deactivated_reason"),
        rs.getLong("last_seen_at"),
        rs.getLong("created_at"));
  }
}
