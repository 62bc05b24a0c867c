package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.HeraldProcess;
import dev.herald.testing.TestFiles;
import dev.herald.web.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The command line, run from the built jar like an operator would. */
class CliIT {
  Path dataDir;

  @AfterEach
  void cleanUp() {
    TestFiles.deleteQuietly(dataDir);
  }

  static String run(Map<String, String> env, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                System.getProperty("herald.jar")));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void vapidGeneratePrintsAP256KeyPair() throws Exception {
    String out = run(Map.of(), "vapid", "generate");
    JsonNode keys = Json.tree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertThat(Base64.getUrlDecoder().decode(keys.get("public_key").asString()))
        .hasSize(65)
        .startsWith((byte) 4);
    assertThat(Base64.getUrlDecoder().decode(keys.get("private_key").asString())).hasSize(32);
  }

  @Test
  void devicesCleanupDeletesOnlyDevicesDeactivatedLongEnoughAgo() throws Exception {
    dataDir = Files.createTempDirectory("herald-cli");
    try (HeraldProcess herald = HeraldProcess.start(dataDir, Map.of())) {
      var api = herald.api();
      String gone =
          api.post(
                  "/v1/devices",
                  Map.of("subscriber_id", "cli", "provider", "apns", "token", "d".repeat(64)))
              .json()
              .get("id")
              .asString();
      api.post(
          "/v1/devices",
          Map.of("subscriber_id", "cli", "provider", "apns", "token", "e".repeat(64)));
      assertThat(api.delete("/v1/devices/" + gone).status()).isEqualTo(204);
      assertThat(herald.terminate(Duration.ofSeconds(30))).isZero();
    }
    Map<String, String> env = Map.of("HERALD_DATA_DIR", dataDir.toString());
    assertThat(run(env, "devices", "cleanup", "--older-than", "1d")).contains("Deleted 0 devices");
    Thread.sleep(20);
    assertThat(run(env, "devices", "cleanup", "--older-than", "1ms", "--dry-run"))
        .contains("Would delete 1 devices");
    assertThat(run(env, "devices", "cleanup", "--older-than", "1ms")).contains("Deleted 1 devices");
    assertThat(run(env, "devices", "cleanup", "--older-than", "1ms")).contains("Deleted 0 devices");
  }
}
