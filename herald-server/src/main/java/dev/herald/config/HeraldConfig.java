package dev.herald.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The effective, validated configuration of one Herald process. Immutable; built once at start by
 * {@link ConfigLoader} from the environment and {@code serve} flags.
 */
public record HeraldConfig(
    String host,
    int port,
    Path dataDir,
    String publicUrl,
    String databaseUrl,
    Optional<String> databaseUser,
    Optional<String> databasePassword,
    Optional<String> adminKey,
    Optional<String> bootstrapSecretKey,
    Optional<String> bootstrapPublishableKey,
    Optional<String> masterKey,
    List<Duration> retryBackoff,
    Duration dlqRetention,
    Duration retention,
    Duration receiptDelay,
    Duration defaultTtl,
    boolean allowPrivateEndpoints,
    LogFormat logFormat,
    List<String> corsOrigins,
    String bus,
    Optional<String> redisUrl,
    String queue,
    Role role,
    Duration jobLease,
    int rateLimitPerSecond,
    long maxBodyBytes,
    LaneSizes workers,
    int fanOutPageSize,
    Optional<Path> providerCaFile,
    int providerConcurrency,
    Duration shutdownGrace,
    int maxConnectionsPerSubscriber,
    int webhookDisableAfter) {

  public enum LogFormat {
    TEXT,
    JSON
  }

  /** Which parts of Herald this process runs. */
  public enum Role {
    ALL,
    API,
    WORKER,
    GATEWAY;

    public boolean runsApi() {
      return this == ALL || this == API || this == GATEWAY;
    }

    public boolean runsWorkers() {
      return this == ALL || this == WORKER;
    }
  }

  /** Worker concurrency per lane. */
  public record LaneSizes(int critical, int important, int bulk) {}

  public boolean isPostgres() {
    return databaseUrl.startsWith("jdbc:postgresql:");
  }

  /** Attempts a job gets before it becomes a dead letter: the first plus one per backoff step. */
  public int maxAttempts() {
    return 1 + retryBackoff.size();
  }
}
