package dev.herald.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.herald.config.HeraldConfig.LogFormat;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Console logging, as text or one JSON object per line. Both carry the correlation ids in the MDC:
 * {@code request_id}, {@code notification_id} and {@code job_id}.
 */
public final class LogSetup {
  private LogSetup() {}

  public static void configure(LogFormat format) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    Encoder<ILoggingEvent> encoder;
    if (format == LogFormat.JSON) {
      LogstashEncoder json = new LogstashEncoder();
      json.setContext(ctx);
      json.start();
      encoder = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setContext(ctx);
      text.setPattern(
          "%d{HH:mm:ss.SSS} %-5level %logger{20} %X{request_id:-}%X{notification_id:-}%X{job_id:-} - %msg%n");
      text.start();
      encoder = text;
    }
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(ctx);
    console.setEncoder(encoder);
    console.start();
    root.addAppender(console);
    root.setLevel(Level.INFO);
    for (String noisy :
        new String[] {"org.eclipse.jetty", "com.zaxxer.hikari", "org.flywaydb", "io.javalin"}) {
      ctx.getLogger(noisy).setLevel(Level.WARN);
    }
  }
}
