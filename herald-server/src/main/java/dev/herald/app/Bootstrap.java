package dev.herald.app;

import dev.herald.config.HeraldConfig;
import dev.herald.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-start setup: the admin key and, on an empty database, the {@code default} app with its
 * keys. Keys Herald generates are printed once and written to {@code bootstrap-credentials.txt}
 * (0600); keys given through the environment are never printed.
 */
public final class Bootstrap {
  private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
  static final String ADMIN_HASH = "admin_key_hash";
  public static final String DEFAULT_APP = "default";
  public static final String CREDENTIALS_FILE = "bootstrap-credentials.txt";

  private Bootstrap() {}

  /** Runs first-start setup and answers the admin key's hash. */
  public static byte[] run(HeraldConfig config, Database db, AppRepository repo, AppService apps) {
    List<String> generated = new ArrayList<>();
    byte[] adminHash = adminKey(config, db, repo, generated);
    if (repo.appByName(DEFAULT_APP).isEmpty() && repo.countApps() == 0) {
      try {
        AppService.CreatedApp app =
            apps.create(DEFAULT_APP, config.bootstrapSecretKey(), config.bootstrapPublishableKey());
        if (config.bootstrapSecretKey().isEmpty()) generated.add("secret_key=" + app.secretKey());
        if (config.bootstrapPublishableKey().isEmpty())
          generated.add("publishable_key=" + app.publishableKey());
        if (!generated.isEmpty()) generated.add("app_id=" + app.app().id());
        log.info("Created app 'default' ({})", app.app().id());
      } catch (RuntimeException e) {
        // Another node of the cluster created it first.
        if (repo.appByName(DEFAULT_APP).isEmpty()) throw e;
      }
    }
    if (!generated.isEmpty()) {
      writeCredentials(config.dataDir().resolve(CREDENTIALS_FILE), generated);
      System.out.println(
          "\nHerald generated these credentials; they are shown once and kept in "
              + config.dataDir().resolve(CREDENTIALS_FILE)
              + " (mode 0600):\n  "
              + String.join("\n  ", generated)
              + "\n");
    }
    return adminHash;
  }

  private static byte[] adminKey(
      HeraldConfig config, Database db, AppRepository repo, List<String> generated) {
    Optional<String> given = config.adminKey();
    if (given.isPresent()) {
      byte[] hash = Keys.hash(given.get());
      db.write(
          tx -> {
            repo.putSetting(tx, ADMIN_HASH, HexFormat.of().formatHex(hash));
            return null;
          });
      return hash;
    }
    Optional<String> stored = repo.setting(ADMIN_HASH);
    if (stored.isPresent()) return HexFormat.of().parseHex(stored.get());
    String key = Keys.generate(Keys.ADMIN);
    byte[] hash = Keys.hash(key);
    db.write(
        tx -> {
          repo.putSetting(tx, ADMIN_HASH, HexFormat.of().formatHex(hash));
          return null;
        });
    generated.add("admin_key=" + key);
    return hash;
  }

  private static void writeCredentials(Path file, List<String> lines) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      Files.write(file, (String.join("\n", lines) + "\n").getBytes(), StandardOpenOption.APPEND);
    } catch (IOException e) {
      log.warn("Could not write {}: {}", file, e.getMessage());
    }
  }
}
