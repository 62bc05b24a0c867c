package dev.herald.push.webpush;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * VAPID (RFC 8292) {@code Authorization} headers, one ES256 JWT per push-service origin, cached and
 * renewed once half its lifetime has passed: never signed per request.
 *
 * <p>The JWT's {@code aud} is the origin of the subscription endpoint ({@code
 * scheme://host[:port]}, default ports left out), {@code exp} is at most 24 hours ahead, {@code
 * sub} is the configured {@code mailto:} or {@code https:} contact. Thread-safe.
 */
final class Vapid {
  static final Duration MAX_LIFETIME = Duration.ofHours(24);
  private static final int MAX_CACHED_ORIGINS = 10_000;
  private static final String HEADER_B64 =
      P256.base64Url("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.US_ASCII));
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final CryptoSuite crypto;
  private final PrivateKey privateKey;
  private final String publicKey;
  private final String subject;
  private final Duration lifetime;
  private final Clock clock;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  private record Token(String authorization, Instant renewAt) {}

  Vapid(VapidKeys keys, String subject, Duration lifetime, Clock clock, CryptoSuite crypto)
      throws GeneralSecurityException {
    this.crypto = crypto;
    this.privateKey = keys.privateKey(crypto);
    this.publicKey = keys.publicKeyBase64Url();
    this.subject = subject;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** {@code vapid t=<jwt>, k=<public key>} for a request to {@code endpoint}. */
  String authorization(URI endpoint) throws GeneralSecurityException {
    String origin = origin(endpoint);
    Instant now = clock.instant();
    Token token = tokens.get(origin);
    if (token != null && now.isBefore(token.renewAt())) return token.authorization();
    if (tokens.size() >= MAX_CACHED_ORIGINS) tokens.clear(); // endpoints are allow-listed: rare
    Token fresh = sign(origin, now);
    tokens.put(origin, fresh);
    return fresh.authorization();
  }

  /** The RFC 6454 origin of an endpoint, as push services expect it in {@code aud}. */
  static String origin(URI endpoint) {
    String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
    String host = endpoint.getHost().toLowerCase(Locale.ROOT);
    int port = endpoint.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("https") && port == 443)
            || (scheme.equals("http") && port == 80);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }

  private Token sign(String origin, Instant now) throws GeneralSecurityException {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", origin);
    claims.put("exp", now.plus(lifetime).getEpochSecond());
    claims.put("sub", subject);
    String signingInput = HEADER_B64 + "." + P256.base64Url(JSON.writeValueAsBytes(claims));
    Signature es256 = crypto.es256();
    es256.initSign(privateKey);
    es256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    String jwt = signingInput + "." + P256.base64Url(es256.sign());
    return new Token("vapid t=" + jwt + ", k=" + publicKey, now.plus(lifetime.dividedBy(2)));
  }
}
