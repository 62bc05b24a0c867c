package dev.herald.testkit.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The mock seen from a plain HTTP client, signing its own assertions. */
class FcmMockTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
  private static FcmMock fcm;
  private static MockServiceAccount account;
  private static PrivateKey key;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    fcm = FcmMock.start();
    account = fcm.mintServiceAccount("demo");
    String pem = JSON.readTree(account.json()).path("private_key").asString();
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    key =
        KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    http = HttpClient.newBuilder().sslContext(fcm.clientSslContext()).build();
  }

  @AfterAll
  static void stop() {
    http.close();
    fcm.close();
  }

  @BeforeEach
  void reset() {
    fcm.reset();
  }

  private static String assertion(PrivateKey signingKey, String scope) throws Exception {
    long now = System.currentTimeMillis();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
            new JWTClaimsSet.Builder()
                .issuer(account.clientEmail())
                .audience(fcm.tokenUri().toString())
                .issueTime(new Date(now))
                .expirationTime(new Date(now + 3_600_000))
                .claim("scope", scope)
                .build());
    jwt.sign(new RSASSASigner(signingKey));
    return jwt.serialize();
  }

  private static HttpResponse<String> post(URI uri, String contentType, String body, String bearer)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) request.header("Authorization", "Bearer " + bearer);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> exchange(String grantType, String assertion)
      throws Exception {
    String form =
        "grant_type="
            + URLEncoder.encode(grantType, StandardCharsets.UTF_8)
            + "&assertion="
            + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
    return post(fcm.tokenUri(), "application/x-www-form-urlencoded", form, null);
  }

  private static String accessToken() throws Exception {
    HttpResponse<String> response =
        exchange("urn:ietf:params:oauth:grant-type:jwt-bearer", assertion(key, SCOPE));
    return JSON.readTree(response.body()).path("access_token").asString();
  }

  private static HttpResponse<String> send(String bearer, String message) throws Exception {
    return post(
        fcm.endpoint().resolve("/v1/projects/demo/messages:send"),
        "application/json",
        "{\"message\":" + message + "}",
        bearer);
  }

  @Test
  void aSignedAssertionIsExchangedForAnAccessToken() throws Exception {
    HttpResponse<String> response =
        exchange("urn:ietf:params:oauth:grant-type:jwt-bearer", assertion(key, SCOPE));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode token = JSON.readTree(response.body());
    assertThat(token.path("access_token").asString()).isNotBlank();
    assertThat(token.path("expires_in").asInt()).isEqualTo(3600);
    assertThat(token.path("token_type").asString()).isEqualTo("Bearer");
    assertThat(fcm.tokenRequests()).isEqualTo(1);
  }

  @Test
  void anAssertionSignedWithAnotherKeyIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    HttpResponse<String> response =
        exchange(
            "urn:ietf:params:oauth:grant-type:jwt-bearer",
            assertion(generator.generateKeyPair().getPrivate(), SCOPE));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).path("error").asString()).isEqualTo("invalid_grant");
  }

  @Test
  void anAssertionForAnotherScopeIsRefused() throws Exception {
    HttpResponse<String> response =
        exchange(
            "urn:ietf:params:oauth:grant-type:jwt-bearer",
            assertion(key, "https://www.googleapis.com/auth/drive"));
    assertThat(JSON.readTree(response.body()).path("error").asString()).isEqualTo("invalid_scope");
  }

  @Test
  void anotherGrantTypeIsRefused() throws Exception {
    HttpResponse<String> response = exchange("client_credentials", assertion(key, SCOPE));
    assertThat(JSON.readTree(response.body()).path("error").asString())
        .isEqualTo("unsupported_grant_type");
  }

  @Test
  void aMessageWithTheIssuedTokenIsAcceptedOverHttp2AndRecorded() throws Exception {
    HttpResponse<String> response =
        send(accessToken(), "{\"token\":\"t1\",\"data\":{\"k\":\"v\"}}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(JSON.readTree(response.body()).path("name").asString())
        .startsWith("projects/demo/messages/");
    assertThat(fcm.messages())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.token()).isEqualTo("t1");
              assertThat(m.field("data.k")).isEqualTo("v");
            });
  }

  @Test
  void aMessageWithoutAnIssuedTokenIsUnauthenticated() throws Exception {
    HttpResponse<String> response = send("ya29.forged", "{\"token\":\"t1\"}");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.body()).path("error").path("status").asString())
        .isEqualTo("UNAUTHENTICATED");
    assertThat(fcm.messages()).isEmpty();
  }

  @Test
  void anInjectedFaultAnswersInFcmsShape() throws Exception {
    fcm.fail("gone", FcmFault.UNREGISTERED);
    HttpResponse<String> response = send(accessToken(), "{\"token\":\"gone\"}");

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("status").asString()).isEqualTo("NOT_FOUND");
    assertThat(error.path("details").get(0).path("errorCode").asString()).isEqualTo("UNREGISTERED");
  }

  @Test
  void quotaExceededCarriesRetryAfter() throws Exception {
    fcm.fail("busy", FcmFault.QUOTA_EXCEEDED);
    fcm.retryAfter(Duration.ofSeconds(42));
    HttpResponse<String> response = send(accessToken(), "{\"token\":\"busy\"}");
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("42");
  }

  @Test
  void dataThatIsNotTextIsAnInvalidArgument() throws Exception {
    HttpResponse<String> response = send(accessToken(), "{\"token\":\"t1\",\"data\":{\"n\":1}}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).path("error").path("status").asString())
        .isEqualTo("INVALID_ARGUMENT");
  }

  @Test
  void aQuotaPerProjectAnswers429BeyondIt() throws Exception {
    fcm.quota(1, Duration.ofMinutes(1));
    String token = accessToken();
    assertThat(send(token, "{\"token\":\"a\"}").statusCode()).isEqualTo(200);
    HttpResponse<String> second = send(token, "{\"token\":\"b\"}");
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("Retry-After")).isPresent();
  }
}
