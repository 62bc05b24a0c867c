package dev.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static HeraldConfig load(Map<String, String> env) {
    return ConfigLoader.load(env, Map.of());
  }

  @Test
  void nothingSetGivesTheDocumentedDefaults() {
    HeraldConfig c = load(Map.of());

    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo(Path.of("./herald-data").toAbsolutePath().normalize());
    assertThat(c.publicUrl()).isEqualTo("http://localhost:8080");
    assertThat(c.databaseUrl()).isEqualTo("jdbc:sqlite:" + c.dataDir().resolve("herald.db"));
    assertThat(c.isPostgres()).isFalse();
    assertThat(c.adminKey()).isEmpty();
    assertThat(c.bootstrapSecretKey()).isEmpty();
    assertThat(c.bootstrapPublishableKey()).isEmpty();
    assertThat(c.masterKey()).isEmpty();
    assertThat(c.retryBackoff())
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(5));
    assertThat(c.maxAttempts()).isEqualTo(5);
    assertThat(c.dlqRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(c.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(c.receiptDelay()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.defaultTtl()).isEqualTo(Duration.ofSeconds(86400));
    assertThat(c.allowPrivateEndpoints()).isFalse();
    assertThat(c.logFormat()).isEqualTo(HeraldConfig.LogFormat.TEXT);
    assertThat(c.corsOrigins()).isEmpty();
    assertThat(c.bus()).isEqualTo("local");
    assertThat(c.queue()).isEqualTo("sql");
    assertThat(c.role()).isEqualTo(HeraldConfig.Role.ALL);
    assertThat(c.rateLimitPerSecond()).isPositive();
    assertThat(c.maxBodyBytes()).isEqualTo(1024 * 1024);
  }

  @Test
  void publicUrlAndDatabaseFollowPortAndDataDir() {
    HeraldConfig c = load(Map.of("HERALD_PORT", "9090", "HERALD_DATA_DIR", "/var/lib/herald"));

    assertThat(c.publicUrl()).isEqualTo("http://localhost:9090");
    assertThat(c.databaseUrl()).isEqualTo("jdbc:sqlite:/var/lib/herald/herald.db");
  }

  @Test
  void postgresUrlChoosesThePostgresBus() {
    HeraldConfig c = load(Map.of("HERALD_DATABASE_URL", "jdbc:postgresql://db:5432/herald"));

    assertThat(c.isPostgres()).isTrue();
    assertThat(c.bus()).isEqualTo("postgres");
  }

  @Test
  void theRedisBusTakesItsUrl() {
    HeraldConfig c =
        load(
            Map.of(
                "HERALD_DATABASE_URL", "jdbc:postgresql://db:5432/herald",
                "HERALD_BUS", "redis",
                "HERALD_REDIS_URL", "redis://cache.internal:6380/2"));

    assertThat(c.bus()).isEqualTo("redis");
    assertThat(c.redisUrl()).contains("redis://cache.internal:6380/2");
  }

  @Test
  void theRedisBusWithoutAUrlIsReported() {
    assertThatThrownBy(() -> load(Map.of("HERALD_BUS", "redis")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HERALD_BUS=redis needs HERALD_REDIS_URL");
  }

  @Test
  void redisUrlsAreCheckedWithoutEchoingTheirPassword() {
    for (String good :
        List.of(
            "redis://127.0.0.1:6379",
            "redis://cache",
            "redis://cache:6379/0",
            "redis://:s3cret@cache:6379/15",
            "redis://herald:s3cret@cache:6379",
            "redis://[::1]:6379")) {
      assertThat(load(Map.of("HERALD_BUS", "redis", "HERALD_REDIS_URL", good)).redisUrl())
          .contains(good);
    }
    for (String bad :
        List.of(
            "rediss://cache:6379",
            "http://cache:6379",
            "cache:6379",
            "redis://",
            "redis://cache:0",
            "redis://cache:70000",
            "redis://cache:port",
            "redis://cache:6379/zero",
            "redis://cache:6379?timeout=5s",
            "redis://:s3cret@cache:99999")) {
      assertThatThrownBy(() -> load(Map.of("HERALD_BUS", "redis", "HERALD_REDIS_URL", bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("HERALD_REDIS_URL must look like redis://host:port[/db]")
          .message()
          .doesNotContain("s3cret");
    }
  }

  @Test
  void thePostgresBusNeedsPostgres() {
    assertThatThrownBy(() -> load(Map.of("HERALD_BUS", "postgres")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HERALD_BUS=postgres needs a jdbc:postgresql:");
  }

  @Test
  void overridesWinOverTheEnvironment() {
    HeraldConfig c =
        ConfigLoader.load(Map.of("HERALD_PORT", "9090"), Map.of("HERALD_PORT", "7070"));

    assertThat(c.port()).isEqualTo(7070);
  }

  @Test
  void valuesAreParsed() {
    Map<String, String> env = new HashMap<>();
    env.put("HERALD_RETRY_BACKOFF", "500ms, 2s,1m");
    env.put("HERALD_DLQ_RETENTION", "2d");
    env.put("HERALD_RETENTION", "12h");
    env.put("HERALD_CORS_ORIGINS", "https://a.example, https://b.example ,");
    env.put("HERALD_ALLOW_PRIVATE_ENDPOINTS", "yes");
    env.put("HERALD_LOG_FORMAT", "JSON");

    HeraldConfig c = load(env);

    assertThat(c.retryBackoff())
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(1));
    assertThat(c.maxAttempts()).isEqualTo(4);
    assertThat(c.dlqRetention()).isEqualTo(Duration.ofDays(2));
    assertThat(c.retention()).isEqualTo(Duration.ofHours(12));
    assertThat(c.corsOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(c.allowPrivateEndpoints()).isTrue();
    assertThat(c.logFormat()).isEqualTo(HeraldConfig.LogFormat.JSON);
  }

  @Test
  void everyProblemIsReportedAtOnceNamingItsVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("HERALD_PORT", "eighty");
    env.put("HERALD_DATABASE_URL", "mysql://db/herald");
    env.put("HERALD_RETRY_BACKOFF", "1s,soon");
    env.put("HERALD_RETENTION", "forever");
    env.put("HERALD_BOOTSTRAP_SECRET_KEY", "pk_wrong_prefix_and_long_enough");
    env.put("HERALD_BOOTSTRAP_PUBLISHABLE_KEY", "pk_short");
    env.put("HERALD_ADMIN_KEY", "tiny");
    env.put("HERALD_ALLOW_PRIVATE_ENDPOINTS", "perhaps");
    env.put("HERALD_LOG_FORMAT", "xml");
    env.put("HERALD_ROLE", "boss");
    env.put("HERALD_RATE_LIMIT", "-1");
    env.put("HERALD_MAX_BODY_BYTES", "10");

    assertThatThrownBy(() -> load(env))
        .isInstanceOf(ConfigException.class)
        .message()
        .contains(
            "HERALD_PORT",
            "HERALD_DATABASE_URL",
            "HERALD_RETRY_BACKOFF",
            "HERALD_RETENTION",
            "HERALD_BOOTSTRAP_SECRET_KEY",
            "HERALD_BOOTSTRAP_PUBLISHABLE_KEY",
            "HERALD_ADMIN_KEY",
            "HERALD_ALLOW_PRIVATE_ENDPOINTS",
            "HERALD_LOG_FORMAT",
            "HERALD_ROLE",
            "HERALD_RATE_LIMIT",
            "HERALD_MAX_BODY_BYTES");
  }

  @Test
  void badDurationsAreReportedWithTheirVariable() {
    for (String bad :
        List.of(
            "7 days",
            "10",
            "-5s",
            "1.5h",
            "s",
            "5w",
            "99999999999999999999d",
            "999999999999999d")) {
      for (String name :
          List.of(
              "HERALD_DLQ_RETENTION",
              "HERALD_RECEIPT_DELAY",
              "HERALD_DEFAULT_TTL",
              "HERALD_JOB_LEASE")) {
        assertThatThrownBy(() -> load(Map.of(name, bad)))
            .as("%s=%s", name, bad)
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining(name);
      }
    }
  }

  @Test
  void portOutOfRangeIsReported() {
    assertThatThrownBy(() -> load(Map.of("HERALD_PORT", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HERALD_PORT");
  }

  @Test
  void describeMasksEverySecret() {
    Map<String, String> env = new HashMap<>();
    String admin = "ak_admin_secret_value_0123456789";
    String sk = "sk_bootstrap_secret_value_0123456789";
    String pk = "pk_bootstrap_publishable_0123456789";
    String master = "bWFzdGVyLWtleS1zZWNyZXQtdmFsdWUtMDEyMzQ1Njc";
    String dbPassword = "db-password-secret-987";
    String urlPassword = "url-password-secret-654";
    String queryPassword = "query-password-secret-321";
    String redisPassword = "redis-password-secret-777";
    env.put("HERALD_ADMIN_KEY", admin);
    env.put("HERALD_BOOTSTRAP_SECRET_KEY", sk);
    env.put("HERALD_BOOTSTRAP_PUBLISHABLE_KEY", pk);
    env.put("HERALD_MASTER_KEY", master);
    env.put(
        "HERALD_DATABASE_URL",
        "jdbc:postgresql://herald:"
            + urlPassword
            + "@db:5432/herald?password="
            + queryPassword
            + "&ssl=true");
    env.put("HERALD_DATABASE_USER", "herald");
    env.put("HERALD_DATABASE_PASSWORD", dbPassword);
    env.put("HERALD_REDIS_URL", "redis://:" + redisPassword + "@cache:6379/0");

    Map<String, String> report = ConfigReport.describe(load(env));

    String all = String.join("\n", report.values());
    for (String secret :
        List.of(admin, sk, pk, master, dbPassword, urlPassword, queryPassword, redisPassword)) {
      assertThat(all).as("report shows %s", secret).doesNotContain(secret);
    }
    assertThat(report.get("HERALD_ADMIN_KEY")).isEqualTo("<masked>");
    assertThat(report.get("HERALD_MASTER_KEY")).isEqualTo("<masked>");
    assertThat(report.get("HERALD_DATABASE_PASSWORD")).isEqualTo("<masked>");
    // What is not secret stays readable, so the report is useful.
    assertThat(report.get("HERALD_DATABASE_URL")).contains("db:5432/herald").contains("ssl=true");
    assertThat(report.get("HERALD_REDIS_URL")).contains("cache:6379");
    assertThat(report.get("HERALD_DATABASE_USER")).isEqualTo("herald");
    assertThat(report.get("HERALD_PORT")).isEqualTo("8080");
  }

  @Test
  void describeMarksUnsetSecretsWithoutInventingValues() {
    Map<String, String> report = ConfigReport.describe(load(Map.of()));

    assertThat(report.get("HERALD_ADMIN_KEY")).isEqualTo("-");
    assertThat(report.get("HERALD_RETRY_BACKOFF")).isEqualTo("1s,5s,30s,5m");
    assertThat(report.get("HERALD_DLQ_RETENTION")).isEqualTo("7d");
  }

  @Test
  void describeCoversEveryVariableTheLoaderReads() {
    Map<String, String> report = ConfigReport.describe(load(Map.of()));

    assertThat(report.keySet())
        .contains(
            "HERALD_HOST",
            "HERALD_PORT",
            "HERALD_DATA_DIR",
            "HERALD_PUBLIC_URL",
            "HERALD_DATABASE_URL",
            "HERALD_RETRY_BACKOFF",
            "HERALD_CORS_ORIGINS",
            "HERALD_RATE_LIMIT",
            "HERALD_MAX_BODY_BYTES");
    assertThat(Optional.ofNullable(report.get("HERALD_BUS"))).contains("local");
  }
}
