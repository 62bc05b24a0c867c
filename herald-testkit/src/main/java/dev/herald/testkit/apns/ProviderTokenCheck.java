package dev.herald.testkit.apns;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a provider token as APNs does: ES256, a {@code kid} the mock knows, a valid signature by
 * that key, {@code iss} = the key's team, and {@code iat} no older than an hour. A token's
 * signature is verified once and remembered (APNs, too, validates a token once, not per request);
 * its age is checked on every request.
 */
final class ProviderTokenCheck {
  static final Duration MAX_AGE = Duration.ofHours(1);
  // Tests make a handful of tokens; past this the memo starts over rather than growing.
  private static final int MEMO_LIMIT = 10_000;

  /** A token whose signature was checked: its issue time, or the reason it is refused. */
  private record Verdict(Instant issuedAt, String refusal) {}

  private final Map<String, ApnsTeamKey> keysById;
  private final Clock clock;
  private final Map<String, Verdict> memo = new ConcurrentHashMap<>();

  ProviderTokenCheck(Map<String, ApnsTeamKey> keysById, Clock clock) {
    this.keysById = keysById;
    this.clock = clock;
  }

  /** The 403 reason for this {@code authorization} header, or null when the token is good. */
  String refusal(String authorization) {
    if (authorization == null || !authorization.startsWith("bearer "))
      return "MissingProviderToken";
    String token = authorization.substring("bearer ".length()).strip();
    if (token.isEmpty()) return "MissingProviderToken";
    if (memo.size() > MEMO_LIMIT) memo.clear();
    Verdict verdict = memo.computeIfAbsent(token, this::verify);
    if (verdict.refusal() != null) return verdict.refusal();
    if (verdict.issuedAt().plus(MAX_AGE).isBefore(clock.instant())) return "ExpiredProviderToken";
    return null;
  }

  private Verdict verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()))
        return new Verdict(null, "InvalidProviderToken");
      ApnsTeamKey key = keysById.get(jwt.getHeader().getKeyID());
      if (key == null) return new Verdict(null, "InvalidProviderToken");
      if (!jwt.verify(new ECDSAVerifier(key.publicKey())))
        return new Verdict(null, "InvalidProviderToken");
      if (!key.teamId().equals(jwt.getJWTClaimsSet().getIssuer()))
        return new Verdict(null, "InvalidProviderToken");
      Date issuedAt = jwt.getJWTClaimsSet().getIssueTime();
      if (issuedAt == null) return new Verdict(null, "InvalidProviderToken");
      return new Verdict(issuedAt.toInstant(), null);
    } catch (ParseException | JOSEException e) {
      return new Verdict(null, "InvalidProviderToken");
    }
  }
}
