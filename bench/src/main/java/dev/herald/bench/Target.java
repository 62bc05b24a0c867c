package dev.herald.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where one series of workloads runs: SQLite files in fresh folders, or fresh databases on one
 * PostgreSQL server. Every Herald it starts gets an empty data folder and database.
 */
final class Target implements AutoCloseable {
  final String db;
  final Path java;
  final Path jar;
  final Path work;
  final List<String> jvmOptions;
  private final Postgres pg;
  private int runs;

  private Target(String db, Path java, Path jar, Path work, List<String> jvmOptions, Postgres pg) {
    this.db = db;
    this.java = java;
    this.jar = jar;
    this.work = work;
    this.jvmOptions = jvmOptions;
    this.pg = pg;
  }

  static Target open(String db, Path java, Path jar, Path work, List<String> jvmOptions) {
    Postgres pg = db.equals("postgres") ? Postgres.start(work.resolve("postgres")) : null;
    return new Target(db, java, jar, work, jvmOptions, pg);
  }

  HeraldProcess startHerald(String label) {
    Path dir = work.resolve(label + "-" + (++runs));
    Map<String, String> env = new HashMap<>();
    if (pg != null) {
      env.put("HERALD_DATABASE_URL", pg.newDatabase(label));
      env.put("HERALD_DATABASE_USER", Postgres.USER);
    }
    return HeraldProcess.start(java, jar, dir, env, jvmOptions);
  }

  /** A fresh database for in-process use: its JDBC URL and user (empty for SQLite). */
  String[] newDatabase(String label) {
    if (pg != null) return new String[] {pg.newDatabase(label), Postgres.USER};
    Path dir = work.resolve(label + "-" + (++runs));
    return new String[] {"jdbc:sqlite:" + dir.resolve("herald.db"), ""};
  }

  Optional<String> postgresDataDir() {
    return Optional.ofNullable(pg).map(p -> p.dataDir().toString());
  }

  CpuMeter meter(long serverPid) {
    return new CpuMeter(serverPid, pg == null ? null : pg.dataDir().toString());
  }

  /** What the numbers depend on besides the machine. */
  Map<String, Object> describe() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("database", db);
    if (pg != null) {
      m.put("postgres_version", pg.version());
      m.put(
          "postgres_settings",
          "synchronous_commit=on fsync=on full_page_writes=on shared_buffers=256MB"
              + " max_connections=300, same disk as SQLite");
    } else {
      m.put("sqlite_settings", "Herald defaults: WAL, synchronous=FULL on the writer");
    }
    m.put("herald_jvm_options", jvmOptions);
    return m;
  }

  @Override
  public void close() {
    if (pg != null) pg.close();
  }
}
