package dev.herald.push.apns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.PushResult;
import dev.herald.push.PushResult.Accepted;
import dev.herald.push.PushResult.Rejected;
import dev.herald.push.PushResult.Retry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApnsErrorsTest {
  private static final String ID = "eabeae54-14a8-11e5-b60b-1697f925ec7b";

  @Test
  void twoHundredIsAcceptedWithTheApnsId() {
    assertThat(ApnsErrors.toResult(200, ID, null, null)).isEqualTo(new Accepted(ID));
  }

  @ParameterizedTest(name = "{0} {1} → the token is gone")
  @CsvSource({
    "400, BadDeviceToken",
    "400, DeviceTokenNotForTopic",
    "400, ExpiredToken",
    "410, Unregistered",
    "410, ExpiredToken",
  })
  void goneTokensAreRejectedAndMarkedInvalid(int status, String reason) {
    assertThat(ApnsErrors.toResult(status, ID, reason, null)).isEqualTo(new Rejected(reason, true));
  }

  @Test
  void a410WithoutAReasonIsStillAnUnregisteredToken() {
    assertThat(ApnsErrors.toResult(410, ID, null, null))
        .isEqualTo(new Rejected("Unregistered", true));
  }

  @ParameterizedTest(name = "{0} {1} → rejected, token kept")
  @CsvSource({
    "400, PayloadTooLarge",
    "400, BadCollapseId",
    "400, BadTopic",
    "400, MissingTopic",
    "400, TopicDisallowed",
    "400, BadMessageId",
    "400, BadExpirationDate",
    "400, BadPriority",
    "400, PayloadEmpty",
    "400, InvalidPushType",
    "404, BadPath",
    "405, MethodNotAllowed",
    "413, PayloadTooLarge",
  })
  void otherClientErrorsAreRejectedWithTheReasonAndKeepTheToken(int status, String reason) {
    assertThat(ApnsErrors.toResult(status, ID, reason, null))
        .isEqualTo(new Rejected(reason, false));
  }

  @ParameterizedTest(name = "403 {0} → provider credentials are wrong")
  @CsvSource({
    "InvalidProviderToken",
    "ExpiredProviderToken",
    "MissingProviderToken",
    "BadCertificate",
    "BadCertificateEnvironment",
    "Forbidden",
  })
  void authenticationFailuresAreRejectedAsProviderMisconfiguration(String reason) {
    PushResult result = ApnsErrors.toResult(403, ID, reason, null);
    assertThat(result).isEqualTo(new Rejected("provider-auth:" + reason, false));
    assertThat(ApnsErrors.isProviderAuthError(((Rejected) result).reason())).isTrue();
  }

  @Test
  void onlyAuthenticationFailuresCountAsProviderMisconfiguration() {
    assertThat(ApnsErrors.isProviderAuthError("BadDeviceToken")).isFalse();
    assertThat(ApnsErrors.isProviderAuthError(null)).isFalse();
  }

  @ParameterizedTest(name = "{0} {1} → retry")
  @CsvSource({
    "429, TooManyRequests",
    "429, TooManyProviderTokenUpdates",
    "500, InternalServerError",
    "503, ServiceUnavailable",
    "503, Shutdown",
    "502, BadGateway",
  })
  void throttlingAndServerErrorsAreRetried(int status, String reason) {
    assertThat(ApnsErrors.toResult(status, ID, reason, null)).isEqualTo(new Retry(reason, null));
  }

  @Test
  void aRetryKeepsTheRetryAfterApnsSent() {
    assertThat(ApnsErrors.toResult(429, ID, "TooManyRequests", Duration.ofSeconds(30)))
        .isEqualTo(new Retry("TooManyRequests", Duration.ofSeconds(30)));
  }

  @Test
  void anErrorWithoutABodyGetsTheReasonItsStatusImplies() {
    assertThat(ApnsErrors.toResult(500, ID, null, null))
        .isEqualTo(new Retry("InternalServerError", null));
    assertThat(ApnsErrors.toResult(413, ID, "", null))
        .isEqualTo(new Rejected("PayloadTooLarge", false));
  }

  @Test
  void theReasonIsReadFromTheJsonBody() {
    assertThat(ApnsErrors.reasonOf("{\"reason\":\"Unregistered\",\"timestamp\":1700000000000}"))
        .isEqualTo("Unregistered");
    assertThat(ApnsErrors.reasonOf("<html>bad gateway</html>")).isNull();
    assertThat(ApnsErrors.reasonOf("{\"reason\":7}")).isNull();
    assertThat(ApnsErrors.reasonOf("")).isNull();
  }

  @Test
  void retryAfterIsReadAsSeconds() {
    assertThat(ApnsErrors.retryAfterOf("120")).isEqualTo(Duration.ofSeconds(120));
    assertThat(ApnsErrors.retryAfterOf("Wed, 21 Oct 2015 07:28:00 GMT")).isNull();
    assertThat(ApnsErrors.retryAfterOf(null)).isNull();
  }
}
