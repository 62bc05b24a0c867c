package dev.herald.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.herald.config.HeraldConfig.LogFormat;
import dev.herald.web.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

class LogSetupTest {
  private final PrintStream realOut = System.out;

  @AfterEach
  void restore() {
    System.setOut(realOut);
    LogSetup.configure(LogFormat.TEXT);
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .setLevel(Level.WARN);
    MDC.clear();
  }

  @Test
  void jsonLogsAreOneObjectPerLineWithTheCorrelationIds() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LogSetup.configure(LogFormat.JSON);
    MDC.put("request_id", "req-123");
    MDC.put("notification_id", "01ABC");
    LoggerFactory.getLogger("dev.herald.test").info("accepted {}", "one");

    String line =
        captured
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.contains("accepted one"))
            .findFirst()
            .orElseThrow();
    JsonNode json = Json.tree(line);
    assertThat(json.get("message").asString()).isEqualTo("accepted one");
    assertThat(json.get("level").asString()).isEqualTo("INFO");
    assertThat(json.get("request_id").asString()).isEqualTo("req-123");
    assertThat(json.get("notification_id").asString()).isEqualTo("01ABC");
  }

  @Test
  void textLogsCarryTheRequestId() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LogSetup.configure(LogFormat.TEXT);
    MDC.put("request_id", "req-456");
    LoggerFactory.getLogger("dev.herald.test").info("hello");
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("req-456").contains("hello");
  }
}
