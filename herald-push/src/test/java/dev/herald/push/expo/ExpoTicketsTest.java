package dev.herald.push.expo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.PushResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One test per row of the ticket and whole-request tables. */
class ExpoTicketsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final List<String> TOKENS =
      List.of("ExponentPushToken[a]", "ExponentPushToken[b]", "ExponentPushToken[c]");

  private static PushResult ticket(String json) {
    return ExpoTickets.fromTicket(JSON.readTree(json));
  }

  private static String errorTicket(String code) {
    return "{\"status\":\"error\",\"message\":\"something about "
        + code
        + "\",\"details\":{\"error\":\""
        + code
        + "\"}}";
  }

  private static List<PushResult> answer(int status, String body, String retryAfter) {
    return ExpoTickets.fromAnswer(
        status, body.getBytes(StandardCharsets.UTF_8), retryAfter, NOW, TOKENS);
  }

  @Test
  void anOkTicketIsAcceptedWithItsId() {
    assertThat(ticket("{\"status\":\"ok\",\"id\":\"XXXX-1\"}"))
        .isEqualTo(new PushResult.Accepted("XXXX-1"));
  }

  @Test
  void deviceNotRegisteredMarksTheTokenInvalid() {
    assertThat(ticket(errorTicket("DeviceNotRegistered")))
        .isEqualTo(new PushResult.Rejected("DeviceNotRegistered", true));
  }

  @Test
  void messageTooBigIsRejected() {
    assertThat(ticket(errorTicket("MessageTooBig")))
        .isEqualTo(new PushResult.Rejected("MessageTooBig", false));
  }

  @Test
  void invalidCredentialsIsAnAuthRejection() {
    PushResult result = ticket(errorTicket("InvalidCredentials"));
    assertThat(result)
        .isEqualTo(
            new PushResult.Rejected(
                "InvalidCredentials: something about InvalidCredentials", false));
    assertThat(ExpoTickets.isAuthError(((PushResult.Rejected) result).reason())).isTrue();
  }

  @Test
  void mismatchSenderIdIsAnAuthRejection() {
    PushResult result = ticket(errorTicket("MismatchSenderId"));
    assertThat(ExpoTickets.isAuthError(((PushResult.Rejected) result).reason())).isTrue();
  }

  @Test
  void messageRateExceededIsRetried() {
    assertThat(ticket(errorTicket("MessageRateExceeded")))
        .isEqualTo(new PushResult.Retry("MessageRateExceeded", null));
  }

  @Test
  void anUnknownErrorIsRejectedWithExposCode() {
    assertThat(ticket(errorTicket("BrandNewError")))
        .isEqualTo(new PushResult.Rejected("BrandNewError: something about BrandNewError", false));
    assertThat(ticket("{\"status\":\"error\",\"message\":\"odd\"}"))
        .isEqualTo(new PushResult.Rejected("ExpoError: odd", false));
  }

  @Test
  void ticketsAnswerInTheOrderOfTheBatch() {
    List<PushResult> results =
        answer(
            200,
            "{\"data\":[{\"status\":\"ok\",\"id\":\"1\"},"
                + errorTicket("DeviceNotRegistered")
                + ",{\"status\":\"ok\",\"id\":\"3\"}]}",
            null);
    assertThat(results)
        .containsExactly(
            new PushResult.Accepted("1"),
            new PushResult.Rejected("DeviceNotRegistered", true),
            new PushResult.Accepted("3"));
  }

  @Test
  void missingTicketsAreRetried() {
    assertThat(answer(200, "{\"data\":[{\"status\":\"ok\",\"id\":\"1\"}]}", null).subList(1, 3))
        .containsOnly(new PushResult.Retry("no ticket from Expo", null));
  }

  @Test
  void aSingleTicketObjectAnswersASingleMessage() {
    assertThat(
            ExpoTickets.fromAnswer(
                200,
                "{\"data\":{\"status\":\"ok\",\"id\":\"9\"}}".getBytes(StandardCharsets.UTF_8),
                null,
                NOW,
                List.of("ExponentPushToken[a]")))
        .containsExactly(new PushResult.Accepted("9"));
  }

  @Test
  void tooManyRequestsRetriesEveryMessageAfterRetryAfter() {
    assertThat(
            answer(
                429,
                "{\"errors\":[{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"slow down\"}]}",
                "30"))
        .hasSize(3)
        .containsOnly(new PushResult.Retry("TOO_MANY_REQUESTS", Duration.ofSeconds(30)));
    assertThat(answer(429, "", null)).containsOnly(new PushResult.Retry("TOO_MANY_REQUESTS", null));
  }

  @Test
  void aServerErrorRetriesEveryMessage() {
    assertThat(answer(502, "<html>", null)).containsOnly(new PushResult.Retry("HTTP 502", null));
    assertThat(
            answer(
                500, "{\"errors\":[{\"code\":\"INTERNAL_SERVER_ERROR\",\"message\":\"x\"}]}", "3"))
        .containsOnly(new PushResult.Retry("INTERNAL_SERVER_ERROR", Duration.ofSeconds(3)));
  }

  @Test
  void unauthorizedRejectsEveryMessageAsAnAuthError() {
    List<PushResult> results =
        answer(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad token\"}]}", null);
    assertThat(results).containsOnly(new PushResult.Rejected("UNAUTHORIZED: bad token", false));
    assertThat(ExpoTickets.isAuthError("UNAUTHORIZED: bad token")).isTrue();
    assertThat(answer(403, "", null))
        .containsOnly(new PushResult.Rejected("INSUFFICIENT_PERMISSIONS", false));
    assertThat(
            ExpoTickets.isAuthError(
                ((PushResult.Rejected) answer(401, "{\"errors\":[{\"code\":\"X\"}]}", null).get(0))
                    .reason()))
        .isTrue();
  }

  @Test
  void aTransientRequestErrorRetriesEveryMessage() {
    assertThat(
            answer(
                400,
                "{\"errors\":[{\"code\":\"PROVIDER_ERROR\",\"message\":\"try"
                    + " again\",\"isTransient\":true}]}",
                null))
        .containsOnly(new PushResult.Retry("PROVIDER_ERROR: try again", null));
  }

  @Test
  void aValidationErrorRejectsTheMessageItNamesByIndexAndRetriesTheRest() {
    List<PushResult> results =
        answer(
            400,
            "{\"errors\":[{\"code\":\"VALIDATION_ERROR\",\"message\":\"\\\"[2].ttl\\\" must be a"
                + " number\"}]}",
            null);
    assertThat(results.get(2))
        .isEqualTo(
            new PushResult.Rejected("VALIDATION_ERROR: \"[2].ttl\" must be a number", false));
    assertThat(results.subList(0, 2)).allMatch(r -> r instanceof PushResult.Retry);
  }

  @Test
  void anErrorNamingTokensInItsDetailsRejectsThoseMessages() {
    List<PushResult> results =
        answer(
            400,
            "{\"errors\":[{\"code\":\"PUSH_TOO_MANY_EXPERIENCE_IDS\",\"message\":\"same project\","
                + "\"details\":{\"@me/a\":[\"ExponentPushToken[a]\",\"ExponentPushToken[c]\"],\"@me/b\":[\"ExponentPushToken[b]\"]}}]}",
            null);
    assertThat(results)
        .containsOnly(new PushResult.Rejected("PUSH_TOO_MANY_EXPERIENCE_IDS: same project", false));
  }

  @Test
  void aRequestErrorNamingNoMessageRejectsThemAll() {
    assertThat(
            answer(
                400,
                "{\"errors\":[{\"code\":\"PUSH_TOO_MANY_NOTIFICATIONS\",\"message\":\"over"
                    + " 100\"}]}",
                null))
        .containsOnly(new PushResult.Rejected("PUSH_TOO_MANY_NOTIFICATIONS: over 100", false));
    assertThat(answer(413, "", null)).containsOnly(new PushResult.Rejected("HTTP 413", false));
  }

  @Test
  void anIndexOutsideTheBatchNamesNoMessage() {
    assertThat(
            answer(
                400,
                "{\"errors\":[{\"code\":\"VALIDATION_ERROR\",\"message\":\"[7] bad\"}]}",
                null))
        .allMatch(r -> r instanceof PushResult.Rejected);
  }

  @Test
  void onlyAuthCodesAreAuthErrors() {
    assertThat(ExpoTickets.isAuthError("DeviceNotRegistered")).isFalse();
    assertThat(ExpoTickets.isAuthError("MessageTooBig: InvalidCredentials")).isFalse();
    assertThat(ExpoTickets.isAuthError(null)).isFalse();
  }

  @Test
  void retryAfterReadsSecondsAndDates() {
    assertThat(ExpoTickets.retryAfter("12", NOW)).isEqualTo(Duration.ofSeconds(12));
    assertThat(ExpoTickets.retryAfter("Sun, 01 Mar 2026 12:00:20 GMT", NOW))
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(ExpoTickets.retryAfter("later", NOW)).isNull();
  }

  @Test
  void aParsedNodeHelperToleratesGarbage() {
    JsonNode node = ExpoTickets.parse("not json".getBytes(StandardCharsets.UTF_8));
    assertThat(node.isMissingNode()).isTrue();
  }
}
