package dev.herald.subscriber;

import dev.herald.store.Database;
import dev.herald.store.Dialect;
import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** Subscribers and their topic memberships. */
public final class SubscriberRepository {
  private final Database db;

  public SubscriberRepository(Database db) {
    this.db = db;
  }

  /** Inserts or replaces a subscriber; answers true when it is new. */
  public boolean upsert(Tx tx, Subscriber s) {
    boolean exists = find(tx.handle(), s.appId(), s.id()).isPresent();
    String attrs = json(tx.dialect(), "attrs");
    tx.handle()
        .createUpdate(
            "INSERT INTO subscribers (app_id, id, email, phone, locale, timezone, attributes, created_at, updated_at)"
                + " VALUES (:app, :id, :email, :phone, :locale, :tz, "
                + attrs
                + ", :now, :now)"
                + " ON CONFLICT (app_id, id) DO UPDATE SET email = excluded.email, phone = excluded.phone,"
                + " locale = excluded.locale, timezone = excluded.timezone, attributes = excluded.attributes,"
                + " updated_at = excluded.updated_at")
        .bind("app", s.appId())
        .bind("id", s.id())
        .bind("email", s.email())
        .bind("phone", s.phone())
        .bind("locale", s.locale())
        .bind("tz", s.timezone())
        .bind("attrs", Json.write(s.attributes()))
        .bind("now", s.updatedAt())
        .execute();
    return !exists;
  }

  /** Creates bare subscribers for ids not yet known (sends and topics may name new ones). */
  public void ensureExist(Tx tx, String appId, Collection<String> ids, long now) {
    if (ids.isEmpty()) return;
    PreparedBatch batch =
        tx.handle()
            .prepareBatch(
                "INSERT INTO subscribers (app_id, id, created_at, updated_at) VALUES (:app, :id, :now, :now)"
                    + " ON CONFLICT (app_id, id) DO NOTHING");
    for (String id : ids) batch.bind("app", appId).bind("id", id).bind("now", now).add();
    batch.execute();
  }

  public Optional<Subscriber> find(String appId, String id) {
    return db.read(h -> find(h, appId, id));
  }

  private Optional<Subscriber> find(Handle h, String appId, String id) {
    return h.createQuery("SELECT * FROM subscribers WHERE app_id = :app AND id = :id")
        .bind("app", appId)
        .bind("id", id)
        .map(SubscriberRepository::map)
        .findOne();
  }

  public List<Subscriber> list(String appId, Optional<String> after, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM subscribers WHERE app_id = :app AND id > :after ORDER BY id LIMIT :limit")
                .bind("app", appId)
                .bind("after", after.orElse(""))
                .bind("limit", limit)
                .map(SubscriberRepository::map)
                .list());
  }

  public List<Subscriber> findAll(Handle h, String appId, Collection<String> ids) {
    if (ids.isEmpty()) return List.of();
    return h.createQuery("SELECT * FROM subscribers WHERE app_id = :app AND id IN (<ids>)")
        .bind("app", appId)
        .bindList("ids", List.copyOf(ids))
        .map(SubscriberRepository::map)
        .list();
  }

  /** Erases a subscriber with everything Herald keeps about them; answers false if unknown. */
  public boolean erase(Tx tx, String appId, String id) {
    Handle h = tx.handle();
    int n =
        h.createUpdate("DELETE FROM subscribers WHERE app_id = :app AND id = :id")
            .bind("app", appId)
            .bind("id", id)
            .execute();
    for (String table :
        List.of(
            "devices",
            "inbox_items",
            "inbox_events",
            "inbox_seqs",
            "topic_subscribers",
            "subscriber_preferences",
            "throttle_counts",
            "digest_items")) {
      h.createUpdate("DELETE FROM " + table + " WHERE app_id = :app AND subscriber_id = :id")
          .bind("app", appId)
          .bind("id", id)
          .execute();
    }
    return n > 0;
  }

  public static String json(Dialect dialect, String bind) {
    return dialect == Dialect.POSTGRES ? "CAST(:" + bind + " AS JSONB)" : ":" + bind;
  }

  static Subscriber map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Subscriber(
        rs.getString("app_id"),
        rs.getString("id"),
        rs.getString("email"),
        rs.getString("phone"),
        rs.getString("locale"),
        rs.getString("timezone"),
        Json.map(rs.getString("attributes")),
        rs.getLong("created_at"),
        rs.getLong("updated_at"));
  }
}
