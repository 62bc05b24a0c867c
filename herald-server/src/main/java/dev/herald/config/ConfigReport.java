package dev.herald.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The effective configuration as printable lines, secrets masked. */
public final class ConfigReport {
  private static final String MASK = "<masked>";

  private ConfigReport() {}

  public static Map<String, String> describe(HeraldConfig c) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("HERALD_HOST", c.host());
    m.put("HERALD_PORT", String.valueOf(c.port()));
    m.put("HERALD_DATA_DIR", c.dataDir().toString());
    m.put("HERALD_PUBLIC_URL", c.publicUrl());
    m.put("HERALD_DATABASE_URL", maskUrl(c.databaseUrl()));
    m.put("HERALD_DATABASE_USER", c.databaseUser().orElse("-"));
    m.put("HERALD_DATABASE_PASSWORD", masked(c.databasePassword()));
    m.put("HERALD_ADMIN_KEY", masked(c.adminKey()));
    m.put("HERALD_BOOTSTRAP_SECRET_KEY", masked(c.bootstrapSecretKey()));
    m.put("HERALD_BOOTSTRAP_PUBLISHABLE_KEY", masked(c.bootstrapPublishableKey()));
    m.put("HERALD_MASTER_KEY", masked(c.masterKey()));
    m.put(
        "HERALD_RETRY_BACKOFF",
        String.join(",", c.retryBackoff().stream().map(Durations::format).toList()));
    m.put("HERALD_DLQ_RETENTION", Durations.format(c.dlqRetention()));
    m.put("HERALD_RETENTION", Durations.format(c.retention()));
    m.put("HERALD_RECEIPT_DELAY", Durations.format(c.receiptDelay()));
    m.put("HERALD_DEFAULT_TTL", Durations.format(c.defaultTtl()));
    m.put("HERALD_ALLOW_PRIVATE_ENDPOINTS", String.valueOf(c.allowPrivateEndpoints()));
    m.put("HERALD_LOG_FORMAT", c.logFormat().name().toLowerCase());
    m.put("HERALD_CORS_ORIGINS", String.join(",", c.corsOrigins()));
    m.put("HERALD_BUS", c.bus());
    m.put("HERALD_REDIS_URL", c.redisUrl().map(ConfigReport::maskUrl).orElse("-"));
    m.put("HERALD_QUEUE", c.queue());
    m.put("HERALD_ROLE", c.role().name().toLowerCase());
    m.put("HERALD_JOB_LEASE", Durations.format(c.jobLease()));
    m.put("HERALD_PROVIDER_CA_FILE", c.providerCaFile().map(Object::toString).orElse("-"));
    m.put("HERALD_PROVIDER_CONCURRENCY", String.valueOf(c.providerConcurrency()));
    m.put("HERALD_FANOUT_PAGE_SIZE", String.valueOf(c.fanOutPageSize()));
    m.put("HERALD_SHUTDOWN_GRACE", Durations.format(c.shutdownGrace()));
    m.put("HERALD_MAX_CONNECTIONS_PER_SUBSCRIBER", String.valueOf(c.maxConnectionsPerSubscriber()));
    m.put("HERALD_WEBHOOK_DISABLE_AFTER", String.valueOf(c.webhookDisableAfter()));
    m.put("HERALD_RATE_LIMIT", String.valueOf(c.rateLimitPerSecond()));
    m.put("HERALD_MAX_BODY_BYTES", String.valueOf(c.maxBodyBytes()));
    m.put(
        "HERALD_WORKERS",
        c.workers().critical() + "/" + c.workers().important() + "/" + c.workers().bulk());
    return m;
  }

  private static String masked(Optional<String> secret) {
    return secret.isPresent() ? MASK : "-";
  }

  /** Hides a password embedded in a URL ({@code user:secret@host} or {@code password=…}). */
  static String maskUrl(String url) {
    return url.replaceAll("(//[^:/@]*:)[^@]*@", "$1" + MASK + "@")
        .replaceAll("(?i)(password=)[^&]*", "$1" + MASK);
  }
}
