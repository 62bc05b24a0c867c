package dev.herald.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL server for one benchmark run, from the Maven-packaged binaries (as root it runs in a
 * user namespace). Durable like production: the embedded default of {@code synchronous_commit=off}
 * would acknowledge commits before they reach the disk, so it is turned back on.
 */
final class Postgres implements AutoCloseable {
  static final String USER = "postgres";

  private final EmbeddedPostgres pg;
  private final Path dataDir;
  private int databases;

  private Postgres(EmbeddedPostgres pg, Path dataDir) {
    this.pg = pg;
    this.dataDir = dataDir;
  }

  static Postgres start(Path dataDir) {
    try {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(true)
              .setRegisterShutdownHook(true)
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("fsync", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "300")
              .setServerConfig("shared_buffers", "256MB")
              .start();
      return new Postgres(pg, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh, empty database; answers its JDBC URL. */
  synchronized String newDatabase(String label) {
    String name = "bench_" + label.replaceAll("[^a-z0-9_]", "_") + "_" + (++databases);
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create database " + name, e);
    }
    return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + name;
  }

  Path dataDir() {
    return dataDir;
  }

  String version() {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      return "unknown";
    }
  }

  /** Stops the server; a postmaster still shutting down after pg_ctl gave up is waited for. */
  @Override
  public void close() {
    try {
      pg.close();
    } catch (IOException e) {
      // checked below
    }
    String dir = dataDir.toString();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(dir)).orElse(false))
        .forEach(
            p -> {
              p.destroy();
              try {
                p.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
              } catch (Exception e) {
                p.destroyForcibly();
              }
            });
  }
}
