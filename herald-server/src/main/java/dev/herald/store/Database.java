package dev.herald.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * Herald's storage: a read pool and a group-committing writer over SQLite or PostgreSQL. Reads run
 * on pooled connections and see every committed write; writes are batched into shared transactions
 * by {@link GroupCommitWriter}. Thread-safe.
 */
public final class Database implements AutoCloseable {
  private final Dialect dialect;
  private final HikariDataSource readPool;
  private final HikariDataSource writePool;
  private final Jdbi reads;
  private final GroupCommitWriter writer;

  private Database(
      Dialect dialect, HikariDataSource readPool, HikariDataSource writePool, int writers) {
    this.dialect = dialect;
    this.readPool = readPool;
    this.writePool = writePool;
    this.reads = configure(Jdbi.create(readPool));
    this.writer = new GroupCommitWriter(configure(Jdbi.create(writePool)), dialect, writers);
  }

  // Optional filters bind their parameters whether or not the SQL uses them.
  private static Jdbi configure(Jdbi jdbi) {
    jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    return jdbi;
  }

  /**
   * Opens the database at {@code url}, creating the SQLite file's folder if needed, and brings its
   * schema up to date.
   */
  public static Database open(String url, Optional<String> user, Optional<String> password) {
    Dialect dialect = url.startsWith("jdbc:postgresql:") ? Dialect.POSTGRES : Dialect.SQLITE;
    if (dialect == Dialect.SQLITE) {
      createParentFolder(url);
    }
    HikariDataSource writes =
        pool(url, user, password, dialect, "herald-write", dialect == Dialect.SQLITE ? 1 : 8, true);
    migrate(writes, dialect);
    HikariDataSource readPool =
        pool(
            url, user, password, dialect, "herald-read", dialect == Dialect.SQLITE ? 8 : 16, false);
    // One writer keeps SQLite free of lock contention; PostgreSQL takes a few concurrent batches.
    return new Database(dialect, readPool, writes, dialect == Dialect.SQLITE ? 1 : 4);
  }

  private static HikariDataSource pool(
      String url,
      Optional<String> user,
      Optional<String> password,
      Dialect dialect,
      String name,
      int size,
      boolean writer) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(name);
    c.setJdbcUrl(url);
    user.ifPresent(c::setUsername);
    password.ifPresent(c::setPassword);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(Math.min(2, size));
    if (dialect == Dialect.SQLITE) {
      c.addDataSourceProperty("journal_mode", "WAL");
      // FULL: a commit is on disk before the caller is answered; group commit pays for it.
      c.addDataSourceProperty("synchronous", writer ? "FULL" : "NORMAL");
      c.addDataSourceProperty("busy_timeout", "10000");
      c.addDataSourceProperty("foreign_keys", "false");
      c.setConnectionInitSql("PRAGMA temp_store=MEMORY");
    }
    return new HikariDataSource(c);
  }

  private static void migrate(DataSource ds, Dialect dialect) {
    Flyway.configure()
        .dataSource(ds)
        .locations(dialect.migrations())
        .validateMigrationNaming(true)
        .load()
        .migrate();
  }

  private static void createParentFolder(String url) {
    String file = url.substring("jdbc:sqlite:".length());
    int q = file.indexOf('?');
    if (q >= 0) file = file.substring(0, q);
    if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) return;
    Path parent = Path.of(file).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw new StoreException(
          "Cannot create the database folder " + parent + ": " + e.getMessage(), e);
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Runs a read on a pooled connection; it sees every write that has returned. */
  public <T> T read(HandleCallback<T, RuntimeException> work) {
    return reads.withHandle(work);
  }

  /** Runs {@code work} in a (possibly shared) transaction and returns once it is committed. */
  public <T> T write(TxWork<T> work) {
    try {
      return writer.submit(work).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) throw r;
      if (cause instanceof Error err) throw err;
      throw new StoreException("Write failed: " + cause.getMessage(), cause);
    }
  }

  /** The read pool, for plain JDBC work that needs no transaction of the writer's. */
  public DataSource dataSource() {
    return readPool;
  }

  /**
   * A new connection outside the pools, for a session that lives as long as the process (such as
   * {@code LISTEN}): it takes no pooled connection, and failing to open it fails at once rather
   * than after the pool's wait. The caller closes it.
   */
  public Connection openDedicatedConnection() throws SQLException {
    Properties p = new Properties();
    if (readPool.getUsername() != null) p.setProperty("user", readPool.getUsername());
    if (readPool.getPassword() != null) p.setProperty("password", readPool.getPassword());
    return DriverManager.getConnection(readPool.getJdbcUrl(), p);
  }

  public boolean ping() {
    try (Handle h = reads.open()) {
      return h.createQuery("SELECT 1").mapTo(Integer.class).one() == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    writer.close();
    readPool.close();
    writePool.close();
  }
}
