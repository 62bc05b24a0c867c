package dev.herald.testing;

import dev.herald.Herald;
import dev.herald.config.ConfigLoader;
import dev.herald.config.HeraldConfig;
import dev.herald.delivery.ChannelSenders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real Herald on a loopback port with its own data folder (SQLite by default, or any {@code
 * HERALD_DATABASE_URL}), and the bootstrap keys of its {@code default} app.
 */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN_KEY = "ak_test_admin_key_0123456789abcdef";
  public static final String SECRET_KEY = "sk_test_secret_key_0123456789abcdef";
  public static final String PUBLISHABLE_KEY = "pk_test_publishable_0123456789abcdef";

  private final Herald herald;
  private final Path dataDir;
  private final boolean ownsDataDir;

  private TestServer(Herald herald, Path dataDir, boolean ownsDataDir) {
    this.herald = herald;
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
  }

  public static TestServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings for one test server; every field has a sensible test default. */
  public static final class Builder {
    private final Map<String, String> env = new HashMap<>();
    private Path dataDir;
    private Clock clock = Clock.systemUTC();
    private ChannelSenders senders = new ChannelSenders();
    private int pageSize = 1_000;
    private Consumer<Herald.Builder> customizer = b -> {};

    private Builder() {
      env.put("HERALD_HOST", "127.0.0.1");
      env.put("HERALD_PORT", "0");
      env.put("HERALD_ADMIN_KEY", ADMIN_KEY);
      env.put("HERALD_BOOTSTRAP_SECRET_KEY", SECRET_KEY);
      env.put("HERALD_BOOTSTRAP_PUBLISHABLE_KEY", PUBLISHABLE_KEY);
      env.put("HERALD_RATE_LIMIT", "0");
      env.put("HERALD_ALLOW_PRIVATE_ENDPOINTS", "true");
    }

    /** Sets a {@code HERALD_*} variable. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** Reuses a data folder (e.g. to restart on the same SQLite file). */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder senders(ChannelSenders senders) {
      this.senders = senders;
      return this;
    }

    public Builder fanOutPageSize(int size) {
      this.pageSize = size;
      return this;
    }

    public TestServer start() {
      try {
        boolean owns = dataDir == null;
        Path dir = owns ? Files.createTempDirectory("herald-test") : dataDir;
        env.put("HERALD_DATA_DIR", dir.toString());
        HeraldConfig config = ConfigLoader.load(env, Map.of());
        Herald.Builder b =
            Herald.builder(config).clock(clock).senders(senders).fanOutPageSize(pageSize);
        customizer.accept(b);
        return new TestServer(b.build().start(), dir, owns);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + herald.port();
  }

  public int port() {
    return herald.port();
  }

  public Path dataDir() {
    return dataDir;
  }

  public Herald herald() {
    return herald;
  }

  /** A client for the {@code default} app's secret key. */
  public ApiClient api() {
    return new ApiClient(baseUrl()).withKey(SECRET_KEY);
  }

  public ApiClient admin() {
    return new ApiClient(baseUrl()).withKey(ADMIN_KEY);
  }

  public ApiClient anonymous() {
    return new ApiClient(baseUrl());
  }

  @Override
  public void close() {
    herald.close();
    if (ownsDataDir) TestFiles.deleteQuietly(dataDir);
  }
}
