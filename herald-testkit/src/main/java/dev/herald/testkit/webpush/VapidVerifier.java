package dev.herald.testkit.webpush;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a VAPID {@code Authorization} header (RFC 8292) the way a push service does: the {@code
 * vapid} scheme with {@code t} (an ES256 JWT) and {@code k} (the P-256 public key it verifies
 * under), {@code aud} equal to the service's origin, {@code exp} in the future and at most 24 hours
 * ahead, and a {@code mailto:} or {@code https:} {@code sub}. Built on Nimbus JOSE; thread-safe.
 */
final class VapidVerifier {
  static final Duration MAX_EXPIRY = Duration.ofHours(24);

  private final String origin;
  private final Clock clock;
  // Push services verify a token once and trust it until it expires; so does this one.
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  VapidVerifier(String origin, Clock clock) {
    this.origin = origin;
    this.clock = clock;
  }

  /** A header that passed: the JWT, its subject and the key it was signed with. */
  record Verified(String jwt, String subject, String publicKey, Instant expiresAt) {}

  /** Why a header failed, and the HTTP status a push service answers. */
  static final class Failure extends Exception {
    final int status;

    Failure(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  Verified verify(String authorization) throws Failure {
    if (authorization == null) throw new Failure(401, "missing Authorization");
    Verified known = verified.get(authorization);
    if (known != null) {
      if (known.expiresAt().isAfter(clock.instant())) return known;
      verified.remove(authorization);
      throw new Failure(403, "JWT expired at " + known.expiresAt());
    }
    Verified fresh = check(authorization);
    if (verified.size() > 10_000) verified.clear();
    verified.put(authorization, fresh);
    return fresh;
  }

  private Verified check(String authorization) throws Failure {
    String trimmed = authorization.strip();
    if (!trimmed.toLowerCase(Locale.ROOT).startsWith("vapid "))
      throw new Failure(401, "Authorization scheme is not vapid");
    String t = null;
    String k = null;
    for (String param : trimmed.substring(6).split(",")) {
      String[] pair = param.strip().split("=", 2);
      if (pair.length != 2) throw new Failure(401, "malformed vapid parameter: " + param.strip());
      switch (pair[0].strip().toLowerCase(Locale.ROOT)) {
        case "t" -> t = pair[1].strip();
        case "k" -> k = pair[1].strip();
        default -> {}
      }
    }
    if (t == null || k == null) throw new Failure(401, "vapid needs both t and k");
    ECKey key = publicKey(k);
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(t);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new Failure(403, "t is not a JWT: " + e.getMessage());
    }
    if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()))
      throw new Failure(403, "JWT alg must be ES256, got " + jwt.getHeader().getAlgorithm());
    try {
      if (!jwt.verify(new ECDSAVerifier(key)))
        throw new Failure(403, "JWT signature does not verify with k");
    } catch (JOSEException e) {
      throw new Failure(403, "JWT signature check failed: " + e.getMessage());
    }
    List<String> audience = claims.getAudience();
    if (audience == null || audience.size() != 1 || !origin.equals(audience.get(0)))
      throw new Failure(403, "JWT aud must be " + origin + ", got " + audience);
    if (claims.getExpirationTime() == null) throw new Failure(403, "JWT has no exp");
    Instant exp = claims.getExpirationTime().toInstant();
    Instant now = clock.instant();
    if (!exp.isAfter(now)) throw new Failure(403, "JWT expired at " + exp);
    if (exp.isAfter(now.plus(MAX_EXPIRY)))
      throw new Failure(403, "JWT exp " + exp + " is more than 24 hours ahead");
    String subject = claims.getSubject();
    if (subject == null || !(subject.startsWith("mailto:") || subject.startsWith("https:")))
      throw new Failure(403, "JWT sub must be a mailto: or https: URI, got " + subject);
    return new Verified(t, subject, k, exp);
  }

  private static ECKey publicKey(String k) throws Failure {
    byte[] point;
    try {
      point = Base64.getUrlDecoder().decode(k);
    } catch (IllegalArgumentException e) {
      throw new Failure(401, "k is not base64url");
    }
    if (point.length != 65 || point[0] != 4)
      throw new Failure(
          401, "k must be an uncompressed P-256 point, got " + point.length + " bytes");
    try {
      return new ECKey.Builder(
              Curve.P_256,
              Base64URL.encode(Arrays.copyOfRange(point, 1, 33)),
              Base64URL.encode(Arrays.copyOfRange(point, 33, 65)))
          .build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new Failure(401, "k is not a P-256 point: " + e.getMessage());
    }
  }
}
