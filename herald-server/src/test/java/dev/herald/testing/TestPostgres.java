package dev.herald.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One embedded PostgreSQL server per test JVM, started on first use and stopped by a shutdown hook,
 * that hands out a fresh, empty database to each caller so test classes never see each other's
 * rows. The server binaries come from a Maven artifact, so nothing needs installing; as root the
 * server runs in a user namespace ({@code unshare -U}), since PostgreSQL refuses root. Thread-safe.
 */
public final class TestPostgres {
  private static final String SUPERUSER = "postgres";
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /** A new database {@code herald_<random>} on the shared server. */
  public static TestDatabase newDatabase() {
    EmbeddedPostgres pg = server();
    String name = "herald_" + HexFormat.of().formatHex(randomBytes());
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create test database " + name, e);
    }
    String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name;
    return TestDatabase.postgres(url, SUPERUSER, name);
  }

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        EmbeddedPostgres pg =
            EmbeddedPostgres.builder()
                .setRegisterShutdownHook(false)
                // Two Herald nodes hold up to 2 × 24 pooled connections, plus the tests' own.
                .setServerConfig("max_connections", "300")
                // Durability across a machine crash is not what these tests check.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
        Runtime.getRuntime()
            .addShutdownHook(
                Thread.ofPlatform().name("test-postgres-stop").unstarted(() -> stop(pg)));
        server = pg;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
      }
    }
    return server;
  }

  private static void stop(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      // the JVM is exiting; the data folder is temporary
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[6];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }
}
