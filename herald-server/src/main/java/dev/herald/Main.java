package dev.herald;

import dev.herald.cli.DevicesCommand;
import dev.herald.cli.VapidCommand;
import dev.herald.config.ConfigException;
import dev.herald.config.ConfigLoader;
import dev.herald.config.ConfigReport;
import dev.herald.config.HeraldConfig;
import dev.herald.observability.LogSetup;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code herald} command line. */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    version = "Herald 0.1.0",
    description = "Self-hosted multi-channel notification service.",
    subcommands = {Main.Serve.class, VapidCommand.class, DevicesCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** {@code herald serve}: runs Herald until SIGTERM or SIGINT, then drains and exits 0. */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Run Herald. Flags override HERALD_* variables.")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--host", description = "HERALD_HOST (default 0.0.0.0)")
    String host;

    @Option(names = "--port", description = "HERALD_PORT (default 8080)")
    String port;

    @Option(names = "--data-dir", description = "HERALD_DATA_DIR (default ./herald-data)")
    String dataDir;

    @Option(names = "--public-url", description = "HERALD_PUBLIC_URL")
    String publicUrl;

    @Option(
        names = "--database-url",
        description = "HERALD_DATABASE_URL (default SQLite in the data dir)")
    String databaseUrl;

    @Option(
        names = "--role",
        description = "all, api, worker or gateway (HERALD_ROLE, default all)")
    String role;

    @Option(
        names = {"-e", "--env"},
        description = "Any other setting, e.g. -e HERALD_RETENTION=7d; wins over the environment")
    Map<String, String> settings = new HashMap<>();

    @Option(names = "--log-format", description = "text or json (HERALD_LOG_FORMAT)")
    String logFormat;

    @Override
    public Integer call() throws Exception {
      for (String name : settings.keySet()) {
        if (!name.startsWith("HERALD_")) {
          System.err.println(
              "-e takes HERALD_* settings, e.g. -e HERALD_RETENTION=7d; got " + name);
          return 2;
        }
      }
      Map<String, String> flags = new HashMap<>(settings);
      put(flags, "HERALD_HOST", host);
      put(flags, "HERALD_PORT", port);
      put(flags, "HERALD_DATA_DIR", dataDir);
      put(flags, "HERALD_PUBLIC_URL", publicUrl);
      put(flags, "HERALD_DATABASE_URL", databaseUrl);
      put(flags, "HERALD_ROLE", role);
      put(flags, "HERALD_LOG_FORMAT", logFormat);
      HeraldConfig config;
      try {
        config = ConfigLoader.load(System.getenv(), flags);
      } catch (ConfigException e) {
        System.err.println(e.getMessage());
        return 2;
      }
      LogSetup.configure(config.logFormat());
      Logger log = LoggerFactory.getLogger(Main.class);
      log.info("Configuration: {}", ConfigReport.describe(config));
      Herald herald = Herald.builder(config).build();
      try {
        herald.start();
      } catch (RuntimeException e) {
        log.error("Herald could not start: {}", e.getMessage(), e);
        herald.close();
        return 1;
      }
      CountDownLatch stop = new CountDownLatch(1);
      Signals.onTerminate(stop::countDown);
      stop.await();
      herald.close();
      return 0;
    }

    private static void put(Map<String, String> m, String k, String v) {
      if (v != null) m.put(k, v);
    }
  }
}
