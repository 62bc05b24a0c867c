package dev.herald.push.apns;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.testkit.apns.ApnsTeamKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProviderTokenTest {
  private static final ApnsTeamKey KEY = ApnsTeamKey.generate("TEAM123456", "KEY1234567");
  private final TestClock clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));
  private final ProviderToken token =
      new ProviderToken(
          "TEAM123456",
          "KEY1234567",
          ApnsSigningKey.fromPem(KEY.privateKeyPem()),
          ProviderToken.DEFAULT_REFRESH,
          clock);

  @Test
  void isAnEs256JwtWithTheKeyIdTeamAndIssueTime() throws Exception {
    SignedJWT jwt = SignedJWT.parse(token.current());

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo("KEY1234567");
    assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("TEAM123456");
    assertThat(jwt.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(clock.instant());
    assertThat(jwt.getJWTClaimsSet().getClaims().keySet()).containsExactlyInAnyOrder("iss", "iat");
    assertThat(jwt.verify(new ECDSAVerifier(KEY.publicKey()))).isTrue();
  }

  @Test
  void isReusedUntilItIsDueForRefresh() {
    String first = token.current();
    clock.advance(Duration.ofMinutes(49));
    assertThat(token.current()).isSameAs(first);
    clock.advance(Duration.ofMinutes(1));
    assertThat(token.current()).isNotEqualTo(first);
  }

  @Test
  void aRefusedTokenIsReplacedOnceHoweverManyRequestsReportIt() {
    String refused = token.current();
    token.refresh(refused);
    String replacement = token.current();
    token.refresh(refused);
    assertThat(replacement).isNotEqualTo(refused);
    assertThat(token.current()).isSameAs(replacement);
  }
}
