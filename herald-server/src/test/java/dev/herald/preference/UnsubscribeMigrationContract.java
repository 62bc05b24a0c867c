package dev.herald.preference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.preference.SubscriberPreferences.CategoryChoice;
import dev.herald.store.Database;
import dev.herald.store.Dialect;
import dev.herald.testing.TestDatabase;
import dev.herald.web.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Migration V12 moves the one-click unsubscribes recorded before preferences existed into
 * subscribers' preferences, merged with choices already stored, on each database. Subclasses only
 * say which database.
 */
abstract class UnsubscribeMigrationContract {
  protected abstract TestDatabase newDatabase();

  @Test
  void unsubscribesBecomePreferencesAndTheirTableGoes() {
    try (TestDatabase database = newDatabase()) {
      Dialect dialect =
          database.url().startsWith("jdbc:postgresql:") ? Dialect.POSTGRES : Dialect.SQLITE;
      Flyway.configure()
          .dataSource(database.url(), database.user().orElse(null), null)
          .locations(dialect.migrations())
          .target("11?") // whatever comes before V12, if a V11 exists
          .load()
          .migrate();
      Jdbi jdbi =
          database
              .user()
              .map(u -> Jdbi.create(database.url(), u, ""))
              .orElseGet(() -> Jdbi.create(database.url()));
      jdbi.useHandle(
          h -> {
            for (List<Object> row :
                List.of(
                    List.<Object>of("a1", "alice", "email", "", 1_000L),
                    List.<Object>of("a1", "alice", "email", "weekly", 2_000L),
                    List.<Object>of("a1", "alice", "sms", "weekly", 1_500L),
                    List.<Object>of("a1", "bob", "email", "news", 3_000L),
                    List.<Object>of("a2", "bob", "email", "", 4_000L),
                    List.<Object>of("a1", "carol", "email", "", 10L),
                    List.<Object>of("a1", "dan", "email", "x.y", 20L))) {
              h.execute(
                  "INSERT INTO unsubscribes (app_id, subscriber_id, channel, category, created_at) VALUES (?, ?, ?, ?, ?)",
                  row.toArray());
            }
            h.execute(
                "INSERT INTO subscriber_preferences (app_id, subscriber_id, preferences, updated_at) VALUES (?, ?, ?, ?)",
                "a1",
                "carol",
                "{\"channels\":{\"push\":false},\"categories\":{\"news\":{\"channels\":{\"email\":true,\"sms\":true}},"
                    + "\"promo\":{\"channels\":{\"email\":false}}},"
                    + "\"quiet_hours\":{\"start\":\"22:00\",\"end\":\"07:00\",\"timezone\":null}}",
                5L);
          });

      try (Database db = Database.open(database.url(), database.user(), Optional.empty())) {
        Map<String, SubscriberPreferences> stored = new HashMap<>();
        Map<String, Long> updated = new HashMap<>();
        db.read(
            h ->
                h.createQuery(
                        "SELECT app_id, subscriber_id, preferences, updated_at FROM subscriber_preferences")
                    .map(
                        (rs, ctx) -> {
                          String key = rs.getString("app_id") + "/" + rs.getString("subscriber_id");
                          stored.put(
                              key,
                              Json.MAPPER.readValue(
                                  rs.getString("preferences"), SubscriberPreferences.class));
                          return updated.put(key, rs.getLong("updated_at"));
                        })
                    .list());

        assertThat(stored)
            .isEqualTo(
                Map.of(
                    "a1/alice",
                    new SubscriberPreferences(
                        Map.of("email", false),
                        Map.of(
                            "weekly",
                            new CategoryChoice(Map.of("email", false, "sms", false), null)),
                        null),
                    "a1/bob",
                    new SubscriberPreferences(
                        Map.of(),
                        Map.of("news", new CategoryChoice(Map.of("email", false), null)),
                        null),
                    "a2/bob",
                    new SubscriberPreferences(Map.of("email", false), Map.of(), null),
                    "a1/carol",
                    new SubscriberPreferences(
                        Map.of("push", false, "email", false),
                        Map.of(
                            "news", new CategoryChoice(Map.of("sms", true), null),
                            "promo", new CategoryChoice(Map.of("email", false), null)),
                        new SubscriberPreferences.QuietHours("22:00", "07:00", null)),
                    "a1/dan",
                    new SubscriberPreferences(
                        Map.of(),
                        Map.of("x.y", new CategoryChoice(Map.of("email", false), null)),
                        null)));
        assertThat(updated)
            .as("the latest of the choices and the unsubscribes")
            .containsEntry("a1/alice", 2_000L)
            .containsEntry("a1/carol", 10L)
            .containsEntry("a1/dan", 20L);
        assertThatThrownBy(
                () ->
                    db.read(
                        h ->
                            h.createQuery("SELECT COUNT(*) FROM unsubscribes")
                                .mapTo(Long.class)
                                .one()))
            .as("the table is gone")
            .isNotNull();
      }
    }
  }
}
