package dev.herald.push.apns;

import static dev.herald.push.apns.Messages.aMessage;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.push.PushResult;
import dev.herald.push.PushResult.Accepted;
import dev.herald.push.PushResult.Rejected;
import dev.herald.testkit.apns.ApnsTeamKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ApnsClient against Pushy's mock APNs, written independently of ours: it verifies the provider
 * token's signature itself, so acceptance here means the token and requests are right.
 */
class ApnsClientPushyIT {
  private static final String TOPIC = "com.example.app";
  private static final String KNOWN = "0123456789abcdef".repeat(4);
  private static final String UNKNOWN = "fedcba9876543210".repeat(4);
  private static final String EXPIRED = "00ff".repeat(16);
  private static final ApnsTeamKey KEY = ApnsTeamKey.generate("TEAM123456", "KEY1234567");

  private static PushyApns pushy;
  private static ApnsClient client;

  @BeforeAll
  static void start() throws Exception {
    QuietLogs.apply();
    pushy =
        PushyApns.validating(
            KEY,
            TOPIC,
            Set.of(KNOWN, EXPIRED),
            Map.of(EXPIRED, Instant.parse("2025-01-01T00:00:00Z")));
    client =
        ApnsClient.builder()
            .teamId(KEY.teamId())
            .keyId(KEY.keyId())
            .signingKey(KEY.privateKeyPem())
            .topic(TOPIC)
            .endpoint("127.0.0.1", pushy.port)
            .trustedCertificates(pushy.certificate.certificatePem())
            // Pushy verifies a signature per request on one thread: slow on a busy machine.
            .requestTimeout(Duration.ofSeconds(60))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    pushy.close();
  }

  @Test
  void pushyAcceptsANotificationToAKnownDevice() {
    String id = "8b9f2c1e-1d3a-4c55-9e0f-5a6b7c8d9e0f";
    assertThat(send(KNOWN, aMessage().withId(id).build())).isEqualTo(new Accepted(id));
  }

  @Test
  void theProviderTokenPushyAcceptedVerifiesWithTheTeamsPublicKey() throws Exception {
    send(KNOWN, aMessage().build());

    String authorization = pushy.authorizations().getLast();
    assertThat(authorization).startsWith("bearer ");
    SignedJWT jwt = SignedJWT.parse(authorization.substring("bearer ".length()));
    assertThat(jwt.verify(new ECDSAVerifier(KEY.publicKey()))).isTrue();
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(KEY.keyId());
    assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(KEY.teamId());
  }

  @Test
  void pushyRefusesATokenSignedWithAnotherKeyUnderTheSameKeyId() {
    ApnsTeamKey impostor = ApnsTeamKey.generate(KEY.teamId(), KEY.keyId());
    try (ApnsClient forged =
        ApnsClient.builder()
            .teamId(impostor.teamId())
            .keyId(impostor.keyId())
            .signingKey(impostor.privateKeyPem())
            .topic(TOPIC)
            .endpoint("127.0.0.1", pushy.port)
            .trustedCertificates(pushy.certificate.certificatePem())
            .build()) {
      assertThat(forged.send(KNOWN, aMessage().build()).orTimeout(90, TimeUnit.SECONDS).join())
          .isEqualTo(new Rejected("provider-auth:InvalidProviderToken", false));
    }
  }

  @Test
  void aTokenPushyDoesNotKnowForTheTopicIsRejectedAsInvalid() {
    assertThat(send(UNKNOWN, aMessage().build()))
        .isEqualTo(new Rejected("DeviceTokenNotForTopic", true));
  }

  @Test
  void aMalformedTokenIsABadDeviceTokenAndInvalid() {
    // 66 hex digits pass our own check (64 or more) but not Pushy's (exactly 64).
    assertThat(send(KNOWN + "ab", aMessage().build()))
        .isEqualTo(new Rejected("BadDeviceToken", true));
  }

  @Test
  void anExpiredTokenIsUnregisteredAndInvalid() {
    assertThat(send(EXPIRED, aMessage().build())).isEqualTo(new Rejected("Unregistered", true));
  }

  @Test
  void manyConcurrentNotificationsAreAllAcceptedWithOneProviderToken() {
    List<CompletableFuture<PushResult>> futures = new ArrayList<>();
    for (int i = 0; i < 1000; i++)
      futures.add(client.send(KNOWN, aMessage().withId("n" + i).build()));

    assertThat(futures.stream().map(CompletableFuture::join)).allMatch(r -> r instanceof Accepted);
    assertThat(Set.copyOf(pushy.authorizations())).hasSize(1);
  }

  private static PushResult send(String token, dev.herald.push.PushMessage message) {
    return client.send(token, message).orTimeout(90, TimeUnit.SECONDS).join();
  }
}
