package dev.herald.push.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VapidTest {
  private static final VapidKeys KEYS = VapidKeys.generate();
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final URI FCM = URI.create("https://fcm.googleapis.com/fcm/send/abc:def");

  private final MutableClock clock = new MutableClock(NOW);

  static Stream<CryptoSuite> suites() {
    return Stream.concat(Stream.of(CryptoSuite.jdk()), CryptoSuite.corretto().stream());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void theJwtVerifiesWithAnIndependentEs256VerifierOverThePublicKey(CryptoSuite crypto)
      throws Exception {
    String authorization = vapid(crypto, Duration.ofHours(12)).authorization(FCM);

    assertThat(authorization).startsWith("vapid t=").endsWith(", k=" + KEYS.publicKeyBase64Url());
    SignedJWT jwt = SignedJWT.parse(token(authorization));
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
    assertThat(Base64URL.from(jwt.getSignature().toString()).decode()).hasSize(64); // r || s
    assertThat(jwt.verify(new ECDSAVerifier(publicJwk()))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://fcm.googleapis.com");
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("mailto:ops@example.com");
    assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
        .isEqualTo(NOW.plus(Duration.ofHours(12)));
  }

  @Test
  void theAudienceIsTheEndpointsOriginWithAnyNonDefaultPort() {
    assertThat(Vapid.origin(URI.create("https://updates.push.services.mozilla.com/wpush/v2/x")))
        .isEqualTo("https://updates.push.services.mozilla.com");
    assertThat(Vapid.origin(URI.create("https://WEB.push.apple.com:443/QGuQ")))
        .isEqualTo("https://web.push.apple.com");
    assertThat(Vapid.origin(URI.create("https://127.0.0.1:8443/push/1")))
        .isEqualTo("https://127.0.0.1:8443");
    assertThat(Vapid.origin(URI.create("http://localhost:80/push/1")))
        .isEqualTo("http://localhost");
  }

  @Test
  void oneOriginReusesItsJwtUntilHalfItsLifetimeHasPassed() throws Exception {
    Vapid vapid = vapid(CryptoSuite.fastest(), Duration.ofHours(12));
    String first = vapid.authorization(FCM);

    clock.advance(Duration.ofHours(5).plusMinutes(59));
    String stillCached =
        vapid.authorization(URI.create("https://fcm.googleapis.com/fcm/send/other"));
    clock.advance(Duration.ofMinutes(2));
    String renewed = vapid.authorization(FCM);

    assertThat(stillCached).isSameAs(first);
    assertThat(renewed).isNotEqualTo(first);
    assertThat(SignedJWT.parse(token(renewed)).getJWTClaimsSet().getExpirationTime().toInstant())
        .isEqualTo(NOW.plus(Duration.ofHours(18).plusMinutes(1)));
  }

  @Test
  void eachOriginHasItsOwnJwt() throws Exception {
    Vapid vapid = vapid(CryptoSuite.fastest(), Duration.ofHours(12));

    String fcm = vapid.authorization(FCM);
    String mozilla =
        vapid.authorization(URI.create("https://updates.push.services.mozilla.com/wpush/v2/x"));

    assertThat(SignedJWT.parse(token(mozilla)).getJWTClaimsSet().getAudience())
        .containsExactly("https://updates.push.services.mozilla.com");
    assertThat(mozilla).isNotEqualTo(fcm);
    assertThat(vapid.authorization(FCM)).isSameAs(fcm);
  }

  @Test
  void aTwentyFourHourLifetimeExpiresExactlyADayAhead() throws Exception {
    String authorization = vapid(CryptoSuite.jdk(), Duration.ofHours(24)).authorization(FCM);

    assertThat(
            SignedJWT.parse(token(authorization)).getJWTClaimsSet().getExpirationTime().toInstant())
        .isEqualTo(NOW.plus(Duration.ofHours(24)));
  }

  private Vapid vapid(CryptoSuite crypto, Duration lifetime) throws Exception {
    return new Vapid(KEYS, "mailto:ops@example.com", lifetime, clock, crypto);
  }

  private static String token(String authorization) {
    return authorization.substring("vapid t=".length(), authorization.indexOf(','));
  }

  private static ECKey publicJwk() {
    byte[] point = Base64.getUrlDecoder().decode(KEYS.publicKeyBase64Url());
    return new ECKey.Builder(
            Curve.P_256,
            Base64URL.encode(Arrays.copyOfRange(point, 1, 33)),
            Base64URL.encode(Arrays.copyOfRange(point, 33, 65)))
        .build();
  }

  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
