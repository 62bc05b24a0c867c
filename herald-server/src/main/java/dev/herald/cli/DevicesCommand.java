package dev.herald.cli;

import dev.herald.config.ConfigException;
import dev.herald.config.ConfigLoader;
import dev.herald.config.Durations;
import dev.herald.config.HeraldConfig;
import dev.herald.store.Database;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald devices cleanup}: deletes devices deactivated longer than a given age. */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = "Device maintenance.",
    subcommands = DevicesCommand.Cleanup.class)
public final class DevicesCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("Use: herald devices cleanup --older-than 30d [--dry-run]");
  }

  @Command(
      name = "cleanup",
      mixinStandardHelpOptions = true,
      description =
          "Delete devices deactivated (unregistered, or reported gone by their provider) longer than --older-than ago.")
  static final class Cleanup implements Callable<Integer> {
    @Option(
        names = "--older-than",
        defaultValue = "30d",
        description = "Age of deactivation, e.g. 7d or 12h (default 30d).")
    String olderThan;

    @Option(names = "--dry-run", description = "Only count what would be deleted.")
    boolean dryRun;

    @Override
    public Integer call() {
      Duration age;
      HeraldConfig config;
      try {
        age = Durations.parse(olderThan);
        config = ConfigLoader.load(System.getenv(), Map.of());
      } catch (IllegalArgumentException | ConfigException e) {
        System.err.println(e.getMessage());
        return 2;
      }
      long before = System.currentTimeMillis() - age.toMillis();
      try (Database db =
          Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword())) {
        long n =
            dryRun
                ? db.read(
                    h ->
                        h.createQuery(
                                "SELECT COUNT(*) FROM devices WHERE active = 0 AND deactivated_at < :before")
                            .bind("before", before)
                            .mapTo(Long.class)
                            .one())
                : db.write(
                    tx ->
                        (long)
                            tx.handle()
                                .createUpdate(
                                    "DELETE FROM devices WHERE active = 0 AND deactivated_at < :before")
                                .bind("before", before)
                                .execute());
        System.out.println(
            (dryRun ? "Would delete " : "Deleted ")
                + n
                + " devices deactivated before "
                + java.time.Instant.ofEpochMilli(before));
      }
      return 0;
    }
  }
}
