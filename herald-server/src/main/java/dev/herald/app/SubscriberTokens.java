package dev.herald.app;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;

/**
 * Subscriber tokens: HS256 JWTs with {@code sub} = subscriber id, {@code exp}, and the app's id as
 * both the {@code kid} header and the {@code app} claim, so a token alone names its app. Signed
 * with the app's subscriber-signing secret, which an app backend may also use to mint its own.
 */
public final class SubscriberTokens {
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);
  private static final long CLOCK_SKEW_MS = 30_000;

  private final Clock clock;

  public SubscriberTokens(Clock clock) {
    this.clock = clock;
  }

  public record Minted(String token, long expiresAt) {}

  public Minted mint(String appId, String secret, String subscriberId, Duration ttl) {
    long now = clock.millis();
    long exp = now + ttl.toMillis();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(subscriberId)
            .claim("app", appId)
            .issueTime(new Date(now))
            .expirationTime(new Date(exp))
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(appId).build(), claims);
    try {
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign subscriber token", e);
    }
    return new Minted(jwt.serialize(), exp);
  }

  /** The app a token claims to belong to, read before its signature is checked. */
  public Optional<String> claimedApp(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      Object app = jwt.getJWTClaimsSet().getClaim("app");
      if (app instanceof String s) return Optional.of(s);
      return Optional.ofNullable(jwt.getHeader().getKeyID());
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  /** The subscriber id if the token is an unexpired HS256 token signed with {@code secret}. */
  public Optional<String> verify(String token, String secret) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) return Optional.empty();
      if (!jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8))))
        return Optional.empty();
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date exp = claims.getExpirationTime();
      if (exp == null || exp.getTime() + CLOCK_SKEW_MS < clock.millis()) return Optional.empty();
      String sub = claims.getSubject();
      return sub == null || sub.isBlank() ? Optional.empty() : Optional.of(sub);
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }
}
