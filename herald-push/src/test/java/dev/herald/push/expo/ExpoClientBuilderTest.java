package dev.herald.push.expo;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExpoClientBuilderTest {
  @Test
  void theEndpointMustBeAnAbsoluteHttpUri() {
    assertThatThrownBy(() -> ExpoClient.builder().endpoint(URI.create("exp.host")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("endpoint");
    assertThatThrownBy(() -> ExpoClient.builder().endpoint(null).build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anAccessTokenMustFitInAHeader() {
    assertThatThrownBy(() -> ExpoClient.builder().accessToken("two words").build())
        .hasMessageContaining("accessToken");
    assertThatThrownBy(() -> ExpoClient.builder().accessToken(" ").build())
        .hasMessageContaining("accessToken");
  }

  @Test
  void theRateAndTimeoutsMustBePositive() {
    assertThatThrownBy(() -> ExpoClient.builder().maxMessagesPerSecond(0).build())
        .hasMessageContaining("maxMessagesPerSecond");
    assertThatThrownBy(() -> ExpoClient.builder().requestTimeout(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("requestTimeout");
  }
}
