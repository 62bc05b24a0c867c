package dev.herald.push.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.PushResult;
import dev.herald.push.PushResult.Accepted;
import dev.herald.push.PushResult.Rejected;
import dev.herald.push.PushResult.Retry;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class WebPushResponsesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void created201IsAcceptedWithTheLocationAsProviderId() {
    assertThat(answer(201, "https://push.example/m/1", null, ""))
        .isEqualTo(new Accepted("https://push.example/m/1"));
  }

  @Test
  void accepted202IsAccepted() {
    assertThat(answer(202, null, null, "")).isEqualTo(new Accepted(null));
  }

  @Test
  void notFound404MarksTheSubscriptionInvalid() {
    assertThat(answer(404, null, null, ""))
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isTrue();
              assertThat(r.reason()).contains("404");
            });
  }

  @Test
  void gone410MarksTheSubscriptionInvalid() {
    assertThat(answer(410, null, null, "push subscription has unsubscribed or expired."))
        .isEqualTo(
            new Rejected(
                "subscription expired or unsubscribed (HTTP 410): push subscription has"
                    + " unsubscribed or expired.",
                true));
  }

  @Test
  void payloadTooLarge413IsRejectedWithoutBlamingTheSubscription() {
    assertThat(answer(413, null, null, "")).isEqualTo(new Rejected("payload too large", false));
  }

  @Test
  void badRequest400IsRejectedWithTheServicesReason() {
    assertThat(answer(400, null, null, "{\"errno\": 110, \"message\": \"Invalid TTL\"}"))
        .isEqualTo(new Rejected("HTTP 400: {\"errno\": 110, \"message\": \"Invalid TTL\"}", false));
  }

  @Test
  void unauthorized401IsAVapidProblemNotAnInvalidSubscription() {
    assertThat(answer(401, null, null, ""))
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isFalse();
              assertThat(r.reason()).contains("VAPID", "401");
            });
  }

  @Test
  void forbidden403IsAVapidProblemNotAnInvalidSubscription() {
    assertThat(answer(403, null, null, "BadJwtToken"))
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isFalse();
              assertThat(r.reason()).contains("VAPID", "403", "BadJwtToken");
            });
  }

  @Test
  void tooManyRequests429RetriesAfterTheGivenSeconds() {
    assertThat(answer(429, null, "120", ""))
        .isEqualTo(new Retry("HTTP 429", Duration.ofSeconds(120)));
  }

  @Test
  void tooManyRequests429RetriesAfterTheGivenHttpDate() {
    assertThat(answer(429, null, "Sun, 01 Mar 2026 12:05:00 GMT", ""))
        .isEqualTo(new Retry("HTTP 429", Duration.ofMinutes(5)));
  }

  @Test
  void tooManyRequests429WithoutRetryAfterLeavesTheBackoffToTheCaller() {
    assertThat(answer(429, null, null, "")).isEqualTo(new Retry("HTTP 429", null));
    assertThat(answer(429, null, "soon", "")).isEqualTo(new Retry("HTTP 429", null));
  }

  @Test
  void serverErrorsAreRetried() {
    assertThat(answer(500, null, null, ""))
        .isEqualTo(new Retry("push service error (HTTP 500)", null));
    assertThat(answer(502, null, null, "")).isInstanceOf(Retry.class);
    assertThat(answer(503, null, "30", ""))
        .isEqualTo(new Retry("push service error (HTTP 503)", Duration.ofSeconds(30)));
  }

  @Test
  void aRetryAfterDateInThePastMeansRetryNow() {
    assertThat(WebPushResponses.retryAfter("Sun, 01 Mar 2026 11:00:00 GMT", NOW))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void aRedirectIsRejected() {
    assertThat(answer(301, "https://elsewhere.example/", null, ""))
        .isEqualTo(new Rejected("HTTP 301", false));
  }

  @Test
  void aRefusedConnectionIsRetried() {
    assertThat(WebPushResponses.fromFailure(new ConnectException("Connection refused")))
        .isEqualTo(new Retry("connection failed: Connection refused", null));
  }

  @Test
  void aTimeoutIsRetried() {
    assertThat(
            WebPushResponses.fromFailure(
                new CompletionException(new TimeoutException("Total timeout 5000 ms elapsed"))))
        .isEqualTo(new Retry("timed out: Total timeout 5000 ms elapsed", null));
  }

  @Test
  void anyOtherFailureWithoutAnAnswerIsRetried() {
    assertThat(WebPushResponses.fromFailure(new IOException("stream reset")))
        .isEqualTo(new Retry("IOException: stream reset", null));
  }

  @Test
  void longBodiesAreShortenedInReasons() {
    Rejected rejected = (Rejected) answer(400, null, null, "x".repeat(1000));

    assertThat(rejected.reason()).hasSize("HTTP 400: ".length() + 200 + 1).endsWith("…");
  }

  private static PushResult answer(int status, String location, String retryAfter, String body) {
    return WebPushResponses.fromResponse(status, location, retryAfter, body, NOW);
  }
}
