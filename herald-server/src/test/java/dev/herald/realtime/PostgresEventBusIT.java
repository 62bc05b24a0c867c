package dev.herald.realtime;

import dev.herald.store.Database;
import dev.herald.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on the embedded PostgreSQL server. Every bus listens and publishes on connections of
 * its own, so two buses are two nodes to PostgreSQL even on one {@link Database}. An outage refuses
 * new connections to the database and terminates the open ones.
 */
class PostgresEventBusIT extends EventBusContract {
  private static TestDatabase database;
  private static Database db;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabase.postgres();
    db = database.open();
  }

  @AfterAll
  static void closeDatabase() {
    db.close();
    database.close();
  }

  @Override
  protected EventBus openNode() {
    return new PostgresEventBus(db);
  }

  @Override
  protected boolean crossesNodes() {
    return true;
  }

  @Override
  protected boolean mayDropBodies() {
    return true;
  }

  @Override
  protected boolean stopServer() throws SQLException {
    admin("ALTER DATABASE " + name() + " WITH ALLOW_CONNECTIONS false");
    admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name() + "'");
    return true;
  }

  @Override
  protected void startServer() throws SQLException {
    admin("ALTER DATABASE " + name() + " WITH ALLOW_CONNECTIONS true");
  }

  private static String name() {
    String url = database.url();
    return url.substring(url.lastIndexOf('/') + 1);
  }

  /** Runs {@code sql} from the server's maintenance database, outside the one under test. */
  private static void admin(String sql) throws SQLException {
    String url = database.url();
    String postgres = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
    try (Connection c = DriverManager.getConnection(postgres, database.user().orElseThrow(), null);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
