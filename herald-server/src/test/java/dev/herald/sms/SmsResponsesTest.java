package dev.herald.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SmsResponsesTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static SendOutcome twilio(int status, String body, String retryAfter) {
    return SmsResponses.twilio(status, body, retryAfter, NOW);
  }

  static String error(int code) {
    return "{\"code\":" + code + ",\"message\":\"m\",\"status\":400}";
  }

  @Test
  void twilioAnswersMapToOutcomes() {
    assertThat(twilio(201, "{\"sid\":\"SM1\",\"status\":\"queued\"}", null))
        .isEqualTo(new SendOutcome.Accepted("SM1"));
    assertThat(twilio(400, error(21211), null))
        .isEqualTo(new SendOutcome.Rejected("twilio 21211: m", false));
    assertThat(twilio(400, error(21610), null))
        .isEqualTo(new SendOutcome.Rejected("twilio 21610: m", false));
    assertThat(twilio(400, error(21614), null)).isInstanceOf(SendOutcome.Rejected.class);
    assertThat(twilio(401, error(20003), null))
        .isEqualTo(new SendOutcome.Misconfigured("twilio 20003: m"));
    assertThat(twilio(401, "", null)).isEqualTo(new SendOutcome.Misconfigured("twilio 401"));
    assertThat(twilio(400, error(21606), null))
        .as("a From the account may not use")
        .isInstanceOf(SendOutcome.Misconfigured.class);
    assertThat(twilio(404, error(20404), null))
        .as("no such account")
        .isInstanceOf(SendOutcome.Misconfigured.class);
    assertThat(twilio(429, error(20429), "7"))
        .isEqualTo(new SendOutcome.Retry("twilio 20429: m", Duration.ofSeconds(7)));
    assertThat(twilio(503, "<html>", null)).isEqualTo(new SendOutcome.Retry("twilio 503", null));
    assertThat(twilio(500, error(20500), "Thu, 01 Jan 2026 00:00:30 GMT"))
        .isEqualTo(new SendOutcome.Retry("twilio 20500: m", Duration.ofSeconds(30)));
  }

  @Test
  void genericHttpAnswersMapToOutcomes() {
    assertThat(SmsResponses.http(202, "{\"id\":\"x1\"}", null, NOW))
        .isEqualTo(new SendOutcome.Accepted("x1"));
    assertThat(SmsResponses.http(200, "ok", null, NOW)).isEqualTo(new SendOutcome.Accepted(null));
    assertThat(SmsResponses.http(200, "[1]", null, NOW)).isEqualTo(new SendOutcome.Accepted(null));
    assertThat(SmsResponses.http(403, "", null, NOW)).isInstanceOf(SendOutcome.Misconfigured.class);
    assertThat(SmsResponses.http(422, "", null, NOW))
        .isEqualTo(new SendOutcome.Rejected("sms provider answered 422", false));
    assertThat(SmsResponses.http(429, "", "3", NOW))
        .isEqualTo(new SendOutcome.Retry("sms provider answered 429", Duration.ofSeconds(3)));
    assertThat(SmsResponses.http(502, "", "soon", NOW))
        .isEqualTo(new SendOutcome.Retry("sms provider answered 502", null));
  }
}
