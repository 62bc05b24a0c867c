package dev.herald.push.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.PushResult;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** One test per row of FCM's error table. */
class FcmErrorsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static PushResult answer(int status, String body) {
    return answer(status, body, null);
  }

  private static PushResult answer(int status, String body, String retryAfter) {
    return FcmErrors.fromResponse(
        status, body == null ? null : body.getBytes(StandardCharsets.UTF_8), retryAfter, NOW);
  }

  private static String error(int code, String status, String errorCode, String message) {
    String details =
        errorCode == null
            ? "[]"
            : "[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\""
                + errorCode
                + "\"}]";
    return "{\"error\":{\"code\":"
        + code
        + ",\"message\":\""
        + message
        + "\",\"status\":\""
        + status
        + "\",\"details\":"
        + details
        + "}}";
  }

  @Test
  void okIsAcceptedWithTheMessageName() {
    assertThat(answer(200, "{\"name\":\"projects/p/messages/0:1\"}"))
        .isEqualTo(new PushResult.Accepted("projects/p/messages/0:1"));
  }

  @Test
  void okWithoutABodyIsStillAccepted() {
    assertThat(answer(200, "")).isEqualTo(new PushResult.Accepted(null));
  }

  @Test
  void unregisteredIsATokenToForget() {
    assertThat(
            answer(404, error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.")))
        .isEqualTo(new PushResult.Rejected("UNREGISTERED", true));
  }

  @Test
  void aBare404IsATokenToForget() {
    assertThat(answer(404, "Not Found")).isEqualTo(new PushResult.Rejected("UNREGISTERED", true));
  }

  @Test
  void senderIdMismatchIsATokenToForget() {
    assertThat(
            answer(403, error(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch")))
        .isEqualTo(new PushResult.Rejected("SENDER_ID_MISMATCH", true));
    assertThat(answer(400, error(400, "INVALID_ARGUMENT", "SENDER_ID_MISMATCH", "x")))
        .isEqualTo(new PushResult.Rejected("SENDER_ID_MISMATCH", true));
  }

  @Test
  void anInvalidArgumentOnTheTokenFieldIsATokenToForget() {
    String body =
        "{\"error\":{\"code\":400,\"message\":\"The registration token is not a valid FCM"
            + " registration token\",\"status\":\"INVALID_ARGUMENT\",\"details\":["
            + "{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"INVALID_ARGUMENT\"},"
            + "{\"@type\":\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":"
            + "[{\"field\":\"message.token\",\"description\":\"bad\"}]}]}}";
    assertThat(answer(400, body))
        .isEqualTo(
            new PushResult.Rejected(
                "INVALID_ARGUMENT: The registration token is not a valid FCM registration token",
                true));
  }

  @Test
  void anyOtherInvalidArgumentIsRejectedKeepingTheToken() {
    assertThat(answer(400, error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Invalid ttl")))
        .isEqualTo(new PushResult.Rejected("INVALID_ARGUMENT: Invalid ttl", false));
    assertThat(answer(400, "oops")).isEqualTo(new PushResult.Rejected("INVALID_ARGUMENT", false));
  }

  @Test
  void quotaExceededIsRetriedAfterTheSecondsFcmGives() {
    assertThat(answer(429, error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota"), "120"))
        .isEqualTo(new PushResult.Retry("QUOTA_EXCEEDED", Duration.ofSeconds(120)));
  }

  @Test
  void quotaExceededIsRetriedAfterTheDateFcmGives() {
    assertThat(answer(429, "", "Sun, 01 Mar 2026 12:01:30 GMT"))
        .isEqualTo(new PushResult.Retry("QUOTA_EXCEEDED", Duration.ofSeconds(90)));
  }

  @Test
  void quotaExceededWithoutOrWithAnUnreadableRetryAfterLeavesTheBackoffToTheCaller() {
    assertThat(answer(429, "")).isEqualTo(new PushResult.Retry("QUOTA_EXCEEDED", null));
    assertThat(answer(429, "", "soon")).isEqualTo(new PushResult.Retry("QUOTA_EXCEEDED", null));
    assertThat(answer(429, "", "Sun, 01 Mar 2026 11:00:00 GMT"))
        .isEqualTo(new PushResult.Retry("QUOTA_EXCEEDED", null));
  }

  @Test
  void unavailableIsRetriedHonouringRetryAfter() {
    assertThat(answer(503, error(503, "UNAVAILABLE", "UNAVAILABLE", "down"), "10"))
        .isEqualTo(new PushResult.Retry("UNAVAILABLE", Duration.ofSeconds(10)));
    assertThat(answer(503, "")).isEqualTo(new PushResult.Retry("UNAVAILABLE", null));
  }

  @Test
  void internalIsRetried() {
    assertThat(answer(500, error(500, "INTERNAL", "INTERNAL", "boom")))
        .isEqualTo(new PushResult.Retry("INTERNAL", null));
  }

  @Test
  void anyOtherServerErrorIsRetried() {
    assertThat(answer(502, "<html>bad gateway</html>"))
        .isEqualTo(new PushResult.Retry("HTTP 502", null));
  }

  @Test
  void thirdPartyAuthErrorIsAProviderMisconfiguration() {
    PushResult result =
        answer(401, error(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", "APNs auth failed"));
    assertThat(result)
        .isEqualTo(new PushResult.Rejected("THIRD_PARTY_AUTH_ERROR: APNs auth failed", false));
    assertThat(FcmErrors.isAuthError(((PushResult.Rejected) result).reason())).isTrue();
  }

  @Test
  void unauthenticatedIsAProviderMisconfiguration() {
    PushResult result = answer(401, error(401, "UNAUTHENTICATED", null, "Invalid credentials"));
    assertThat(result)
        .isEqualTo(new PushResult.Rejected("UNAUTHENTICATED: Invalid credentials", false));
    assertThat(FcmErrors.isAuthError(((PushResult.Rejected) result).reason())).isTrue();
  }

  @Test
  void permissionDeniedIsAProviderMisconfiguration() {
    PushResult result = answer(403, "");
    assertThat(result).isEqualTo(new PushResult.Rejected("PERMISSION_DENIED", false));
    assertThat(FcmErrors.isAuthError(((PushResult.Rejected) result).reason())).isTrue();
  }

  @Test
  void anUnknownClientErrorIsRejectedKeepingTheToken() {
    assertThat(answer(409, error(409, "ABORTED", null, "conflict")))
        .isEqualTo(new PushResult.Rejected("ABORTED: conflict", false));
    assertThat(answer(413, "")).isEqualTo(new PushResult.Rejected("HTTP 413", false));
  }

  @Test
  void onlyAuthCodesAreAuthErrors() {
    assertThat(FcmErrors.isAuthError("UNREGISTERED")).isFalse();
    assertThat(FcmErrors.isAuthError("INVALID_ARGUMENT: UNAUTHENTICATED")).isFalse();
    assertThat(FcmErrors.isAuthError(null)).isFalse();
  }

  @Test
  void networkFailuresAreRetried() {
    assertThat(FcmErrors.fromFailure(new CompletionException(new ConnectException("refused"))))
        .isEqualTo(new PushResult.Retry("connect: refused", null));
    assertThat(FcmErrors.fromFailure(new TimeoutException("Total timeout 500 ms elapsed")))
        .isEqualTo(new PushResult.Retry("timeout: Total timeout 500 ms elapsed", null));
    assertThat(FcmErrors.fromFailure(new java.io.EOFException()))
        .isEqualTo(new PushResult.Retry("network: EOFException", null));
  }

  @Test
  void anUnreachableTokenEndpointIsRetried() {
    assertThat(FcmErrors.fromTokenFailure(new java.io.IOException("Connection refused")))
        .isEqualTo(new PushResult.Retry("token endpoint: Connection refused", null));
  }
}
