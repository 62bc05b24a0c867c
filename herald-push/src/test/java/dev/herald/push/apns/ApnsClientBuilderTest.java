package dev.herald.push.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.testkit.apns.ApnsTeamKey;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApnsClientBuilderTest {
  private static final ApnsTeamKey KEY = ApnsTeamKey.generate("TEAM123456", "KEY1234567");

  @BeforeAll
  static void quiet() {
    QuietLogs.apply();
  }

  @Test
  void namesEveryMissingSettingAtOnce() {
    assertThatThrownBy(() -> ApnsClient.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("teamId is required")
        .hasMessageContaining("keyId is required")
        .hasMessageContaining("topic is required")
        .hasMessageContaining("signingKey is required");
  }

  @Test
  void refusesOutOfRangeNumbersAndTimes() {
    assertThatThrownBy(
            () ->
                complete()
                    .connections(0)
                    .maxConcurrentStreams(0)
                    .requestTimeout(Duration.ZERO)
                    .tokenRefreshInterval(Duration.ofMinutes(10))
                    .build())
        .hasMessageContaining("connections must be 1 to 16")
        .hasMessageContaining("maxConcurrentStreams must be 1 to 10000")
        .hasMessageContaining("requestTimeout must be positive")
        .hasMessageContaining("tokenRefreshInterval must be 20 to 60 minutes");
  }

  @Test
  void refusesATopicThatCannotBeAHeaderValue() {
    assertThatThrownBy(() -> complete().topic("com.example\napp").build())
        .hasMessageContaining("topic must be printable ASCII");
  }

  @Test
  void refusesAPlainHttpEndpoint() {
    assertThatThrownBy(() -> complete().endpoint(URI.create("http://127.0.0.1:8080")).build())
        .hasMessageContaining("endpoint must be an https URI");
  }

  @Test
  void refusesTrustedCertificatesThatAreNotPem() {
    assertThatThrownBy(() -> complete().trustedCertificates("not a certificate").build())
        .hasMessageContaining("trustedCertificates could not be read");
  }

  @Test
  void aBadSigningKeyFailsWithItsOwnException() {
    assertThatThrownBy(() -> complete().signingKey("garbage").build())
        .isInstanceOf(InvalidSigningKeyException.class);
  }

  @Test
  void talksToAppleInProductionUnlessToldOtherwise() {
    try (ApnsClient client = complete().build()) {
      assertThat(client.endpoint()).isEqualTo("api.push.apple.com:443");
    }
    try (ApnsClient client = complete().environment(ApnsEnvironment.SANDBOX).build()) {
      assertThat(client.endpoint()).isEqualTo("api.sandbox.push.apple.com:443");
    }
    try (ApnsClient client = complete().endpoint("127.0.0.1", 8443).build()) {
      assertThat(client.endpoint()).isEqualTo("127.0.0.1:8443");
    }
  }

  private static ApnsClientBuilder complete() {
    return ApnsClient.builder()
        .teamId(KEY.teamId())
        .keyId(KEY.keyId())
        .signingKey(KEY.privateKeyPem())
        .topic("com.example.app");
  }
}
