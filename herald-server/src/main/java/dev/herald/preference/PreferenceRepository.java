package dev.herald.preference;

import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Subscribers' stored preferences, one JSON document per subscriber. */
final class PreferenceRepository {

  /** A subscriber as preferences see them: time zone, and choices if any were stored. */
  record Subject(String timezone, SubscriberPreferences preferences, Long updatedAt) {}

  /** What fan-out needs of one subscriber who stored preferences. */
  record Loaded(SubscriberPreferences preferences, String timezone) {}

  /** The subscriber with its preferences; empty if the subscriber does not exist. */
  Optional<Subject> subject(Handle h, String appId, String subscriberId) {
    return h.createQuery(
            "SELECT s.timezone, p.preferences, p.updated_at FROM subscribers s LEFT JOIN subscriber_preferences p"
                + " ON p.app_id = s.app_id AND p.subscriber_id = s.id WHERE s.app_id = :app AND s.id = :id")
        .bind("app", appId)
        .bind("id", subscriberId)
        .map(
            (rs, ctx) -> {
              String json = rs.getString("preferences");
              long updated = rs.getLong("updated_at");
              return new Subject(
                  rs.getString("timezone"),
                  json == null ? SubscriberPreferences.NONE : parse(json),
                  json == null ? null : updated);
            })
        .findOne();
  }

  /**
   * One query for a page of subscribers: every one that exists is in the answer (with {@link
   * SubscriberPreferences#NONE} if they stored nothing), since digests need each one's time zone.
   */
  Map<String, Loaded> forSubscribers(Handle h, String appId, Collection<String> subscriberIds) {
    Map<String, Loaded> found = new HashMap<>();
    if (subscriberIds.isEmpty()) return found;
    h.createQuery(
            "SELECT s.id, p.preferences, s.timezone FROM subscribers s LEFT JOIN subscriber_preferences p"
                + " ON p.app_id = s.app_id AND p.subscriber_id = s.id WHERE s.app_id = :app AND s.id IN (<ids>)")
        .bind("app", appId)
        .bindList("ids", List.copyOf(subscriberIds))
        .map(
            (rs, ctx) -> {
              String json = rs.getString("preferences");
              return Map.entry(
                  rs.getString("id"),
                  new Loaded(
                      json == null ? SubscriberPreferences.NONE : parse(json),
                      rs.getString("timezone")));
            })
        .forEach(e -> found.put(e.getKey(), e.getValue()));
    return found;
  }

  void save(Tx tx, String appId, String subscriberId, SubscriberPreferences p, long now) {
    tx.handle()
        .createUpdate(
            "INSERT INTO subscriber_preferences (app_id, subscriber_id, preferences, updated_at) VALUES (:app, :id, :p, :now)"
                + " ON CONFLICT (app_id, subscriber_id) DO UPDATE SET preferences = excluded.preferences,"
                + " updated_at = excluded.updated_at")
        .bind("app", appId)
        .bind("id", subscriberId)
        .bind("p", Json.write(p))
        .bind("now", now)
        .execute();
  }

  private static SubscriberPreferences parse(String json) {
    return Json.MAPPER.readValue(json, SubscriberPreferences.class);
  }
}
