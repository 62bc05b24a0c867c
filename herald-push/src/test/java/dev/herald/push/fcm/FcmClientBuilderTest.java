package dev.herald.push.fcm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FcmClientBuilderTest {
  @Test
  void aClientNeedsAServiceAccount() {
    assertThatThrownBy(() -> FcmClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("serviceAccount");
  }

  @Test
  void aBadServiceAccountIsRefusedNamingTheField() {
    assertThatThrownBy(
            () -> FcmClient.builder().serviceAccountJson("{\"type\":\"service_account\"}"))
        .isInstanceOf(InvalidServiceAccountException.class)
        .hasMessageStartingWith("project_id");
  }

  @Test
  void theEndpointMustBeAnAbsoluteHttpUri() {
    assertThatThrownBy(() -> FcmClient.Builder.checkEndpoint(URI.create("fcm.example")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> FcmClient.Builder.checkEndpoint(URI.create("ftp://fcm.example")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aTrailingSlashOnTheEndpointIsDropped() {
    org.assertj.core.api.Assertions.assertThat(
            FcmClient.Builder.checkEndpoint(URI.create("https://fcm.example/base/")))
        .isEqualTo(URI.create("https://fcm.example/base"));
  }

  @Test
  void limitsAndTimeoutsMustBePositive() {
    FcmServiceAccountFixture account = new FcmServiceAccountFixture();
    assertThatThrownBy(() -> account.builder().maxConcurrentRequests(0).build())
        .hasMessageContaining("maxConcurrentRequests");
    assertThatThrownBy(() -> account.builder().maxMessagesPerMinute(0).build())
        .hasMessageContaining("maxMessagesPerMinute");
    assertThatThrownBy(() -> account.builder().requestTimeout(Duration.ZERO).build())
        .hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> account.builder().connectTimeout(null).build())
        .hasMessageContaining("connectTimeout");
  }
}
