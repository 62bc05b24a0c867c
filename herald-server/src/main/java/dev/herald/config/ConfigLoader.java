package dev.herald.config;

import dev.herald.config.HeraldConfig.LaneSizes;
import dev.herald.config.HeraldConfig.LogFormat;
import dev.herald.config.HeraldConfig.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds {@link HeraldConfig} from {@code HERALD_*} variables, with {@code serve} flags given as
 * the same variable names taking precedence. Every problem is collected and reported at once.
 */
public final class ConfigLoader {
  static final String DEFAULT_BACKOFF = "1s,5s,30s,5m";
  // A fan-out page heartbeats its lease, so a minute only bounds how long a crashed node's work
  // waits.
  static final String DEFAULT_JOB_LEASE = "60s";
  // Generous enough for bulk sends from one backend; a per-key ceiling, not a quota.
  static final int DEFAULT_RATE_LIMIT = 10_000;
  static final long DEFAULT_MAX_BODY = 1024 * 1024;
  // Recipients per fan-out transaction: large enough to amortise the commit, small enough to
  // checkpoint often and keep each write short.
  static final int DEFAULT_FANOUT_PAGE = 1_000;
  // Half a lane's default workers: a slow provider can hold only half of them.
  static final int DEFAULT_PROVIDER_CONCURRENCY = 16;
  // Messages that each failed every attempt (about six minutes apiece with the default backoff):
  // a receiver down for a deploy recovers on a retry; one gone for good stops costing workers.
  static final int DEFAULT_WEBHOOK_DISABLE_AFTER = 20;

  // redis://[user:password@]host[:port][/db]; TLS (rediss) and sockets are not supported.
  private static final Pattern REDIS_URL =
      Pattern.compile(
          "redis://(?:[^@/]*@)?(?:[^:/@\\[\\]]+|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?(?:/\\d{0,5})?");

  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();

  private ConfigLoader(Map<String, String> env, Map<String, String> overrides) {
    this.values = new HashMap<>(env);
    this.values.putAll(overrides);
  }

  public static HeraldConfig load(Map<String, String> env, Map<String, String> overrides) {
    return new ConfigLoader(env, overrides).build();
  }

  private HeraldConfig build() {
    String host = text("HERALD_HOST", "0.0.0.0");
    int port = integer("HERALD_PORT", 8080, 0, 65535);
    Path dataDir = Path.of(text("HERALD_DATA_DIR", "./herald-data")).toAbsolutePath().normalize();
    String publicUrl = text("HERALD_PUBLIC_URL", "http://localhost:" + port);
    String dbUrl = text("HERALD_DATABASE_URL", "jdbc:sqlite:" + dataDir.resolve("herald.db"));
    if (!dbUrl.startsWith("jdbc:sqlite:") && !dbUrl.startsWith("jdbc:postgresql:")) {
      problems.add("HERALD_DATABASE_URL must start with jdbc:sqlite: or jdbc:postgresql:");
    }
    Optional<String> bootstrapSecret = optional("HERALD_BOOTSTRAP_SECRET_KEY");
    bootstrapSecret.ifPresent(k -> requireKey("HERALD_BOOTSTRAP_SECRET_KEY", k, "sk_"));
    Optional<String> bootstrapPublishable = optional("HERALD_BOOTSTRAP_PUBLISHABLE_KEY");
    bootstrapPublishable.ifPresent(k -> requireKey("HERALD_BOOTSTRAP_PUBLISHABLE_KEY", k, "pk_"));
    Optional<String> adminKey = optional("HERALD_ADMIN_KEY");
    adminKey.ifPresent(k -> requireLength("HERALD_ADMIN_KEY", k));
    boolean postgres = dbUrl.startsWith("jdbc:postgresql:");
    String bus =
        choice("HERALD_BUS", postgres ? "postgres" : "local", "local", "postgres", "redis");
    Optional<String> redisUrl = optional("HERALD_REDIS_URL");
    redisUrl.ifPresent(this::requireRedisUrl);
    if (bus.equals("redis") && redisUrl.isEmpty()) {
      problems.add("HERALD_BUS=redis needs HERALD_REDIS_URL, e.g. redis://127.0.0.1:6379");
    }
    if (bus.equals("postgres") && !postgres) {
      problems.add("HERALD_BUS=postgres needs a jdbc:postgresql: HERALD_DATABASE_URL");
    }
    String queue = choice("HERALD_QUEUE", "sql", "sql", "kafka");
    if (queue.equals("kafka")) {
      problems.add("HERALD_QUEUE=kafka is not available in this version; use sql");
    }
    HeraldConfig config =
        new HeraldConfig(
            host,
            port,
            dataDir,
            publicUrl,
            dbUrl,
            optional("HERALD_DATABASE_USER"),
            optional("HERALD_DATABASE_PASSWORD"),
            adminKey,
            bootstrapSecret,
            bootstrapPublishable,
            optional("HERALD_MASTER_KEY"),
            parsed("HERALD_RETRY_BACKOFF", DEFAULT_BACKOFF, Durations::parseList),
            duration("HERALD_DLQ_RETENTION", "7d"),
            duration("HERALD_RETENTION", "30d"),
            duration("HERALD_RECEIPT_DELAY", "15m"),
            duration("HERALD_DEFAULT_TTL", "86400s"),
            bool("HERALD_ALLOW_PRIVATE_ENDPOINTS", false),
            LogFormat.valueOf(
                choice("HERALD_LOG_FORMAT", "text", "text", "json").toUpperCase(Locale.ROOT)),
            list("HERALD_CORS_ORIGINS"),
            bus,
            redisUrl,
            queue,
            Role.valueOf(
                choice("HERALD_ROLE", "all", "all", "api", "worker", "gateway")
                    .toUpperCase(Locale.ROOT)),
            duration("HERALD_JOB_LEASE", DEFAULT_JOB_LEASE),
            integer("HERALD_RATE_LIMIT", DEFAULT_RATE_LIMIT, 0, Integer.MAX_VALUE),
            integer("HERALD_MAX_BODY_BYTES", (int) DEFAULT_MAX_BODY, 1024, 64 * 1024 * 1024),
            new LaneSizes(
                integer("HERALD_WORKERS_CRITICAL", 32, 1, 4096),
                integer("HERALD_WORKERS_IMPORTANT", 32, 1, 4096),
                integer("HERALD_WORKERS_BULK", 16, 1, 4096)),
            integer("HERALD_FANOUT_PAGE_SIZE", DEFAULT_FANOUT_PAGE, 1, 5_000),
            optional("HERALD_PROVIDER_CA_FILE").map(Path::of),
            integer("HERALD_PROVIDER_CONCURRENCY", DEFAULT_PROVIDER_CONCURRENCY, 1, 4096),
            duration("HERALD_SHUTDOWN_GRACE", "20s"),
            integer("HERALD_MAX_CONNECTIONS_PER_SUBSCRIBER", 16, 1, 10_000),
            integer("HERALD_WEBHOOK_DISABLE_AFTER", DEFAULT_WEBHOOK_DISABLE_AFTER, 1, 1_000_000));
    if (!problems.isEmpty()) {
      throw new ConfigException("Invalid configuration:\n  - " + String.join("\n  - ", problems));
    }
    return config;
  }

  private Optional<String> optional(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private String text(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  private <T> T parsed(String name, String fallback, Function<String, T> parser) {
    String raw = text(name, fallback);
    try {
      return parser.apply(raw);
    } catch (IllegalArgumentException e) {
      problems.add(name + ": " + e.getMessage());
      return parser.apply(fallback);
    }
  }

  private Duration duration(String name, String fallback) {
    return parsed(name, fallback, Durations::parse);
  }

  private int integer(String name, int fallback, int min, int max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) return fallback;
    try {
      int v = Integer.parseInt(raw.get());
      if (v < min || v > max) {
        problems.add(name + " must be between " + min + " and " + max + ", got " + v);
        return fallback;
      }
      return v;
    } catch (NumberFormatException e) {
      problems.add(name + " must be a whole number, got '" + raw.get() + "'");
      return fallback;
    }
  }

  private boolean bool(String name, boolean fallback) {
    String v = text(name, String.valueOf(fallback)).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> {
        problems.add(name + " must be true or false, got '" + v + "'");
        yield fallback;
      }
    };
  }

  private String choice(String name, String fallback, String... allowed) {
    String v = text(name, fallback).toLowerCase(Locale.ROOT);
    if (!Arrays.asList(allowed).contains(v)) {
      problems.add(name + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
      return fallback;
    }
    return v;
  }

  private List<String> list(String name) {
    return optional(name)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  private void requireRedisUrl(String url) {
    Matcher m = REDIS_URL.matcher(url);
    boolean valid = m.matches();
    if (valid && m.group(1) != null) {
      int port = Integer.parseInt(m.group(1));
      valid = port >= 1 && port <= 65535;
    }
    if (!valid) {
      problems.add(
          "HERALD_REDIS_URL must look like redis://host:port[/db], got '"
              + ConfigReport.maskUrl(url)
              + "'");
    }
  }

  private void requireKey(String name, String key, String prefix) {
    if (!key.startsWith(prefix)) {
      problems.add(name + " must start with " + prefix);
    }
    requireLength(name, key);
  }

  private void requireLength(String name, String key) {
    if (key.length() < 24) {
      problems.add(name + " must be at least 24 characters long");
    }
  }
}
