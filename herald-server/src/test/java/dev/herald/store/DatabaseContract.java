package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@link Database} promises its callers on every database Herald supports: writes from many
 * threads share transactions, yet each one commits or fails on its own. Subclasses only say which
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseContract {
  private TestDatabase database;
  private Database db;

  /** A fresh, empty database for this class. */
  protected abstract TestDatabase newDatabase();

  @BeforeAll
  void open() {
    database = newDatabase();
    db = database.open();
  }

  @AfterAll
  void close() {
    db.close();
    database.close();
  }

  @BeforeEach
  void empty() {
    db.write(tx -> tx.handle().execute("DELETE FROM instance_settings"));
  }

  @Test
  void failingTasksDoNotRollBackTheOthersSharingTheirTransaction() throws Exception {
    db.write(tx -> put(tx, "taken", "already"));
    int tasks = 600;
    Set<Integer> announced = ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
      for (int i = 0; i < tasks; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return db.write(
                      tx -> {
                        put(tx, "k" + n, "v" + n);
                        tx.afterCommit(() -> announced.add(n));
                        switch (n % 3) {
                          case 0 -> throw new IllegalStateException("task " + n + " refused");
                          // an SQL error: PostgreSQL aborts the transaction unless it is contained
                          case 1 -> put(tx, "taken", "again");
                          default -> {}
                        }
                        return n;
                      });
                }));
      }
      start.countDown();
    }

    List<Integer> committed = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      Future<Integer> f = results.get(i);
      if (i % 3 == 2) {
        assertThat(f.get()).isEqualTo(i);
        committed.add(i);
      } else {
        int n = i;
        assertThatThrownBy(f::get)
            .cause()
            .satisfies(
                e -> {
                  if (n % 3 == 0) assertThat(e).hasMessage("task " + n + " refused");
                  else assertThat(e).hasMessageContaining("taken");
                });
      }
    }
    Map<String, String> rows = settings();
    assertThat(rows).hasSize(committed.size() + 1).containsEntry("taken", "already");
    for (int i : committed) assertThat(rows).containsEntry("k" + i, "v" + i);
    assertThat(announced).containsExactlyInAnyOrderElementsOf(committed);
  }

  @Test
  void writesThatDeadlockEachOtherBothCommit() throws Exception {
    db.write(tx -> put(tx, "a", "0") + put(tx, "b", "0"));
    CountDownLatch firstHoldsA = new CountDownLatch(1);
    CountDownLatch secondHoldsB = new CountDownLatch(1);
    try (ExecutorService callers = Executors.newFixedThreadPool(2)) {
      // On PostgreSQL the two run in separate transactions and lock a and b in opposite orders;
      // SQLite's single writer runs them one after the other (the waits then time out).
      Future<Integer> first =
          callers.submit(
              () ->
                  db.write(
                      tx -> {
                        int n = set(tx, "a", "first");
                        firstHoldsA.countDown();
                        secondHoldsB.await(2, TimeUnit.SECONDS);
                        return n + set(tx, "b", "first");
                      }));
      firstHoldsA.await(5, TimeUnit.SECONDS);
      Future<Integer> second =
          callers.submit(
              () ->
                  db.write(
                      tx -> {
                        int n = set(tx, "b", "second");
                        secondHoldsB.countDown();
                        return n + set(tx, "a", "second");
                      }));

      assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(2);
    }
    Map<String, String> rows = settings();
    assertThat(rows.get("a"))
        .as("both writes of one task commit together")
        .isEqualTo(rows.get("b"));
  }

  @Test
  void aFailedWriteLeavesTheWriterUsable() {
    db.write(tx -> put(tx, "taken", "already"));

    assertThatThrownBy(() -> db.write(tx -> put(tx, "taken", "again")))
        .hasMessageContaining("taken");
    db.write(tx -> put(tx, "next", "fine"));

    assertThat(settings()).containsOnly(Map.entry("taken", "already"), Map.entry("next", "fine"));
  }

  @Test
  void aWriteIsVisibleToReadsAsSoonAsItReturns() {
    for (int i = 0; i < 50; i++) {
      String key = "r" + i;
      db.write(tx -> put(tx, key, "x"));
      Optional<String> read =
          db.read(
              h ->
                  h.createQuery("SELECT value FROM instance_settings WHERE name = :n")
                      .bind("n", key)
                      .mapTo(String.class)
                      .findOne());
      assertThat(read).hasValue("x");
    }
  }

  private static int put(Tx tx, String name, String value) {
    return tx.handle()
        .createUpdate("INSERT INTO instance_settings (name, value) VALUES (:n, :v)")
        .bind("n", name)
        .bind("v", value)
        .execute();
  }

  private static int set(Tx tx, String name, String value) {
    return tx.handle()
        .createUpdate("UPDATE instance_settings SET value = :v WHERE name = :n")
        .bind("n", name)
        .bind("v", value)
        .execute();
  }

  private Map<String, String> settings() {
    return db.read(
        h ->
            h.createQuery("SELECT name, value FROM instance_settings")
                .setMapKeyColumn("name")
                .setMapValueColumn("value")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() {}));
  }
}
