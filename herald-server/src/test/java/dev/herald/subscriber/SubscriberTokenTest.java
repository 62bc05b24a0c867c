package dev.herald.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Subscriber tokens minted by an app's own backend with its subscriber-signing secret. */
class SubscriberTokenTest {
  static TestServer server;
  static TestApp app;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    app = TestApp.create(server, "tokens");
    assertThat(app.api().put("/v1/subscribers/sam", Map.of()).status()).isEqualTo(201);
    var sent =
        app.api()
            .post(
                "/v1/notifications",
                Map.of(
                    "to", Map.of("subscribers", List.of("sam")),
                    "channels", List.of("in_app"),
                    "title", "Hi Sam"));
    assertThat(sent.status()).isEqualTo(202);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void tokenMintedByTheAppsBackendReadsTheInbox() throws Exception {
    String token = mint(app.signingSecret(), app.id(), "sam", Instant.now().plusSeconds(600));

    var r = inbox(token);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("data").get(0).get("title").asString()).isEqualTo("Hi Sam");
  }

  @Test
  void expiredTokenIsRefused() throws Exception {
    String token = mint(app.signingSecret(), app.id(), "sam", Instant.now().minusSeconds(3600));

    var r = inbox(token);

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asString()).isEqualTo("unauthorized");
    assertThat(r.body()).doesNotContain("Hi Sam");
  }

  @Test
  void tokenSignedWithAnotherSecretIsRefused() throws Exception {
    String wrong = "x".repeat(43);
    String token = mint(wrong, app.id(), "sam", Instant.now().plusSeconds(600));

    assertThat(inbox(token).status()).isEqualTo(401);
    assertThat(server.anonymous().withKey(token).get("/v1/inbox").status()).isEqualTo(401);
  }

  @Test
  void tokenNamingAnotherAppThanItsSignerIsRefused() throws Exception {
    TestApp other = TestApp.create(server, "tokens-other");
    // Signed with this app's secret but claiming the other app.
    String token = mint(app.signingSecret(), other.id(), "sam", Instant.now().plusSeconds(600));

    assertThat(server.anonymous().withKey(token).get("/v1/inbox").status()).isEqualTo(401);
  }

  @Test
  void tokenWithoutExpiryIsRefused() throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("sam").claim("app", app.id()).build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(app.id()).build(), claims);
    jwt.sign(new MACSigner(app.signingSecret().getBytes(StandardCharsets.UTF_8)));

    assertThat(inbox(jwt.serialize()).status()).isEqualTo(401);
  }

  @Test
  void unsignedTokenIsRefused() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    long exp = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
    String payload =
        b64.encodeToString(
            ("{\"sub\":\"sam\",\"app\":\"" + app.id() + "\",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(inbox(header + "." + payload + ".").status()).isEqualTo(401);
  }

  @Test
  void garbageBearerIsRefused() {
    assertThat(inbox("not.a.token").status()).isEqualTo(401);
    assertThat(inbox("a.b").status()).isEqualTo(401);
  }

  private static ApiClient.Response inbox(String token) {
    return server
        .anonymous()
        .withKey(token)
        .withHeader("X-Herald-Key", app.publishableKey())
        .get("/v1/inbox");
  }

  static String mint(String secret, String appId, String subscriber, Instant exp) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(subscriber)
            .claim("app", appId)
            .issueTime(Date.from(exp.minusSeconds(7200)))
            .expirationTime(Date.from(exp))
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(appId).build(), claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }
}
