package dev.herald.testkit.fcm;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Google's OAuth2 token endpoint for service accounts (RFC 7523 JWT-bearer grant): checks the
 * assertion's RS256 signature against the account's public key, its audience, lifetime and scope,
 * and issues opaque access tokens it remembers.
 */
final class TokenEndpoint {
  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
  // Google accepts its canonical token URI as audience whatever token_uri the key file names.
  private static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
  private static final long CLOCK_SKEW_MILLIS = 60_000;

  record Account(String projectId, RSAPublicKey key) {}

  record Issued(String projectId, String clientEmail, long expiresAtMillis) {}

  final Map<String, Account> accounts = new ConcurrentHashMap<>();
  final Map<String, Issued> issued = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();
  volatile Duration lifetime = Duration.ofHours(1);
  volatile int failStatus;
  private final String tokenUri;

  TokenEndpoint(String tokenUri) {
    this.tokenUri = tokenUri;
  }

  MockResponse handle(RecordedRequest request) {
    requests.incrementAndGet();
    if (failStatus != 0) return error(failStatus, "temporarily_unavailable", "Try again later.");
    if (!"POST".equals(request.getMethod())) return error(405, "invalid_request", "POST required.");
    Map<String, String> form = form(request.getBody() == null ? "" : request.getBody().utf8());
    if (!JWT_BEARER.equals(form.get("grant_type")))
      return error(400, "unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type"));
    String assertion = form.get("assertion");
    if (assertion == null)
      return error(400, "invalid_request", "Missing required parameter: assertion");
    try {
      return grant(SignedJWT.parse(assertion));
    } catch (ParseException | JOSEException e) {
      return error(400, "invalid_grant", "Invalid JWT: " + e.getMessage());
    }
  }

  private MockResponse grant(SignedJWT jwt) throws ParseException, JOSEException {
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()))
      return error(400, "invalid_grant", "Invalid JWT: algorithm must be RS256.");
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    Account account = claims.getIssuer() == null ? null : accounts.get(claims.getIssuer());
    if (account == null) return error(400, "invalid_grant", "Invalid issuer: unknown account.");
    if (!jwt.verify(new RSASSAVerifier(account.key())))
      return error(400, "invalid_grant", "Invalid JWT Signature.");
    if (claims.getAudience().stream()
        .noneMatch(a -> a.equals(tokenUri) || a.equals(GOOGLE_TOKEN_URI)))
      return error(400, "invalid_grant", "Invalid JWT: audience " + claims.getAudience());
    long now = System.currentTimeMillis();
    Date iat = claims.getIssueTime();
    Date exp = claims.getExpirationTime();
    if (iat == null
        || exp == null
        || iat.getTime() > now + CLOCK_SKEW_MILLIS
        || exp.getTime() < now - CLOCK_SKEW_MILLIS
        || exp.getTime() - iat.getTime() > 3_600_000)
      return error(
          400,
          "invalid_grant",
          "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable"
              + " timeframe.");
    Object scope = claims.getClaim("scope");
    if (!(scope instanceof String s) || !java.util.List.of(s.split(" ")).contains(SCOPE))
      return error(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    String token = "ya29.mock." + UUID.randomUUID();
    long seconds = lifetime.toSeconds();
    issued.put(token, new Issued(account.projectId(), claims.getIssuer(), now + seconds * 1000));
    return json(
        200,
        "{\"access_token\":\""
            + token
            + "\",\"expires_in\":"
            + seconds
            + ",\"token_type\":\"Bearer\"}");
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) continue;
      form.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return form;
  }

  private static MockResponse error(int status, String error, String description) {
    return json(
        status,
        "{\"error\":\""
            + error
            + "\",\"error_description\":\""
            + description.replace("\"", "'")
            + "\"}");
  }

  static MockResponse json(int status, String body) {
    return new MockResponse.Builder()
        .code(status)
        .setHeader("Content-Type", "application/json; charset=UTF-8")
        .body(body)
        .build();
  }
}
