package dev.herald.testing;

import dev.herald.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * A fresh, empty database for one test class: a SQLite file in a temporary folder or a new database
 * on the shared {@link TestPostgres} server. Open it directly with {@link #open()} or run Herald on
 * it with {@link #server()}; {@link #close()} removes what it can.
 */
public final class TestDatabase implements AutoCloseable {
  private final String kind;
  private final String url;
  private final String user;
  private final Path folder;
  private final String masterKey;

  private TestDatabase(String kind, String url, String user, Path folder) {
    this.kind = kind;
    this.url = url;
    this.user = user;
    this.folder = folder;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.masterKey = Base64.getEncoder().encodeToString(key);
  }

  /** A new SQLite file. */
  public static TestDatabase sqlite() {
    try {
      Path dir = Files.createTempDirectory("herald-db");
      return new TestDatabase("sqlite", "jdbc:sqlite:" + dir.resolve("herald.db"), null, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new database on the shared embedded PostgreSQL server. */
  public static TestDatabase postgres() {
    return TestPostgres.newDatabase();
  }

  static TestDatabase postgres(String url, String user, String name) {
    return new TestDatabase("postgres " + name, url, user, null);
  }

  public String url() {
    return url;
  }

  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** Opens Herald's storage on this database, migrating its schema. The caller closes it. */
  public Database open() {
    return Database.open(url, user(), Optional.empty());
  }

  /**
   * A test server on this database; several servers on one PostgreSQL database form a cluster,
   * sharing one master key as a cluster's nodes must.
   */
  public TestServer.Builder server() {
    TestServer.Builder b =
        TestServer.builder().env("HERALD_DATABASE_URL", url).env("HERALD_MASTER_KEY", masterKey);
    user().ifPresent(u -> b.env("HERALD_DATABASE_USER", u));
    return b;
  }

  @Override
  public void close() {
    if (folder != null) TestFiles.deleteQuietly(folder);
  }

  @Override
  public String toString() {
    return kind;
  }
}
