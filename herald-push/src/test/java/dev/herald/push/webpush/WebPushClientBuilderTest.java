package dev.herald.push.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebPushClientBuilderTest {
  private static final VapidKeys KEYS = VapidKeys.generate();

  @Test
  void vapidKeysAreRequired() {
    assertThatThrownBy(() -> WebPushClient.builder().subject("mailto:ops@example.com").build())
        .hasMessage("vapidKeys is required");
  }

  @Test
  void theSubjectMustBeAMailtoOrHttpsUri() {
    assertThatThrownBy(() -> valid().subject("ops@example.com").build())
        .hasMessage("VAPID subject must be a mailto: or https: URI, got ops@example.com");
    assertThatThrownBy(() -> valid().subject(null).build())
        .hasMessageStartingWith("VAPID subject must be");
    assertThatThrownBy(() -> valid().subject("mailto:").build())
        .hasMessage("VAPID subject is incomplete: mailto:");
  }

  @Test
  void theTokenLifetimeIsMoreThanAMinuteAndAtMostADay() {
    assertThatThrownBy(() -> valid().vapidTokenLifetime(Duration.ofHours(25)).build())
        .hasMessage("vapidTokenLifetime must be more than 1 minute and at most 24 hours");
    assertThatThrownBy(() -> valid().vapidTokenLifetime(Duration.ofSeconds(30)).build())
        .hasMessage("vapidTokenLifetime must be more than 1 minute and at most 24 hours");
  }

  @Test
  void timeoutsAndLimitsMustBePositive() {
    assertThatThrownBy(() -> valid().requestTimeout(Duration.ZERO).build())
        .hasMessage("requestTimeout must be positive");
    assertThatThrownBy(() -> valid().connectTimeout(Duration.ofSeconds(-1)).build())
        .hasMessage("connectTimeout must be positive");
    assertThatThrownBy(() -> valid().maxConcurrentRequests(0).build())
        .hasMessage("maxConcurrentRequests must be at least 1");
    assertThatThrownBy(() -> valid().maxConnectionsPerOrigin(0).build())
        .hasMessage("maxConnectionsPerOrigin must be at least 1");
  }

  @Test
  void aValidConfigurationBuildsAClientThatReportsItsKeyAndCrypto() {
    try (WebPushClient client = valid().crypto(CryptoSuite.jdk()).build()) {
      assertThat(client.vapidPublicKey()).isEqualTo(KEYS.publicKeyBase64Url());
      assertThat(client.crypto().name()).isEqualTo("JDK (SunEC, SunJCE)");
    }
  }

  private static WebPushClient.Builder valid() {
    return WebPushClient.builder().vapidKeys(KEYS).subject("mailto:ops@example.com");
  }
}
