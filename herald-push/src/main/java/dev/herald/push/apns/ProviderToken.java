package dev.herald.push.apns;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The provider authentication token (ES256 JWT: header {@code kid}, claims {@code iss} = team id
 * and {@code iat}) that every request carries. One token is shared by all requests and replaced
 * only when it reaches {@code refreshAfter}, or when APNs refuses it; APNs answers {@code
 * TooManyProviderTokenUpdates} to clients that sign per request, and {@code ExpiredProviderToken}
 * to tokens older than an hour. Thread-safe: readers never block; one thread signs a replacement.
 */
final class ProviderToken {
  /** Apple: refresh no more than once every 20 minutes and no less than once every 60. */
  static final Duration MIN_REFRESH = Duration.ofMinutes(20);

  static final Duration MAX_REFRESH = Duration.ofMinutes(60);

  /** Well inside the hour APNs accepts a token, with room for clock skew. */
  static final Duration DEFAULT_REFRESH = Duration.ofMinutes(50);

  private record Signed(String jwt, Instant refreshAt) {}

  private final String teamId;
  private final JWSHeader header;
  private final ECDSASigner signer;
  private final Duration refreshAfter;
  private final Clock clock;
  private volatile Signed current;

  /**
   * Signs the first token at once, so a key that cannot sign fails here and not on the first send.
   */
  ProviderToken(
      String teamId, String keyId, ApnsSigningKey key, Duration refreshAfter, Clock clock) {
    this.teamId = teamId;
    this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).build();
    try {
      this.signer = new ECDSASigner(key.key());
    } catch (JOSEException e) {
      throw new InvalidSigningKeyException("signing key cannot sign ES256: " + e.getMessage(), e);
    }
    this.refreshAfter = refreshAfter;
    this.clock = clock;
    this.current = sign();
  }

  /** The token to send now; signs a new one when the current one is due. */
  String current() {
    Signed token = current;
    if (clock.instant().isBefore(token.refreshAt())) return token.jwt();
    synchronized (this) {
      if (current == token) current = sign();
      return current.jwt();
    }
  }

  /**
   * APNs refused {@code refused}: replace it, unless another request already did (a burst of
   * refusals for one token signs one replacement).
   */
  void refresh(String refused) {
    synchronized (this) {
      if (current.jwt().equals(refused)) current = sign();
    }
  }

  private Signed sign() {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder().issuer(teamId).issueTime(Date.from(now)).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new InvalidSigningKeyException("signing key cannot sign ES256: " + e.getMessage(), e);
    }
    return new Signed(jwt.serialize(), now.plus(refreshAfter));
  }
}
