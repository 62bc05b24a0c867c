package dev.herald.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProviderCredentialsTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String pem(String algorithm, Object params) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
    if (params instanceof ECGenParameterSpec spec) g.initialize(spec);
    else g.initialize((Integer) params);
    byte[] der = g.generateKeyPair().getPrivate().getEncoded();
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }

  static Map<String, Object> apns(String signingKey) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("team_id", "ABCDE12345");
    m.put("key_id", "KEY1234567");
    m.put("signing_key", signingKey);
    m.put("topic", "com.example.app");
    m.put("environment", "sandbox");
    return m;
  }

  @Test
  void apnsCredentialsAreStoredSealedAndAnsweredRedacted() throws Exception {
    String key = pem("EC", new ECGenParameterSpec("secp256r1"));
    var put = api.put("/v1/providers/apns", apns(key));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().get("signing_key").asString()).isEqualTo("<redacted>");
    JsonNode got = api.get("/v1/providers/apns").json();
    assertThat(got.get("team_id").asString()).isEqualTo("ABCDE12345");
    assertThat(got.get("signing_key").asString()).isEqualTo("<redacted>");
    assertThat(got.get("version").asLong()).isEqualTo(1);
    assertThat(api.put("/v1/providers/apns", apns(key)).json().get("version").asLong())
        .isEqualTo(2);

    String keyBody = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    try (var c =
            DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("herald.db"));
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT sealed FROM provider_credentials WHERE kind = 'apns'")) {
      assertThat(rs.next()).isTrue();
      String stored = new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(stored)
          .doesNotContain(keyBody)
          .doesNotContain("ABCDE12345")
          .doesNotContain("PRIVATE KEY");
    }
    assertThat(api.delete("/v1/providers/apns").status()).isEqualTo(204);
    assertThat(api.get("/v1/providers/apns").status()).isEqualTo(404);
  }

  @Test
  void badKeysAreRefusedNamingTheField() throws Exception {
    assertThat(field(api.put("/v1/providers/apns", apns("not a pem")))).contains("signing_key");
    assertThat(
            field(
                api.put(
                    "/v1/providers/apns", apns(pem("EC", new ECGenParameterSpec("secp384r1"))))))
        .contains("signing_key");
    Map<String, Object> noKey =
        Map.of(
            "service_account",
            Map.of(
                "type",
                "service_account",
                "project_id",
                "p1",
                "client_email",
                "a@p1.iam.gserviceaccount.com"));
    assertThat(field(api.put("/v1/providers/fcm", noKey))).contains("service_account.private_key");
    Map<String, Object> good =
        Map.of(
            "service_account",
            Map.of(
                "type",
                "service_account",
                "project_id",
                "p1",
                "client_email",
                "a@p1.iam.gserviceaccount.com",
                "private_key",
                pem("RSA", 2048)));
    var fcm = api.put("/v1/providers/fcm", good);
    assertThat(fcm.status()).as(fcm.body()).isEqualTo(200);
    assertThat(fcm.json().get("service_account").get("private_key").asString())
        .isEqualTo("<redacted>");
    assertThat(fcm.json().get("service_account").get("project_id").asString()).isEqualTo("p1");
    assertThat(
            field(
                api.put(
                    "/v1/providers/webpush", Map.of("public_key", "AAAA", "private_key", "BBBB"))))
        .contains("public_key");
    String goodPublic = dev.herald.push.webpush.VapidKeys.generate().publicKeyBase64Url();
    assertThat(
            field(
                api.put(
                    "/v1/providers/webpush",
                    Map.of("public_key", goodPublic, "private_key", "BBBB"))))
        .containsExactly("private_key");
    assertThat(field(api.put("/v1/providers/webpush", Map.of("public_key", "AAAA"))))
        .contains("private_key");
    assertThat(field(api.put("/v1/providers/webpush", Map.of("subject", "ops@example.com"))))
        .contains("subject");
    assertThat(
            field(api.put("/v1/providers/expo", Map.of("endpoint", "http://example.com", "x", 1))))
        .contains("x");
    assertThat(api.put("/v1/providers/telegraph", Map.of()).status()).isEqualTo(404);
  }

  @Test
  void theVapidPublicKeyIsGeneratedOnFirstUseAndStable() {
    ApiClient browser = new ApiClient(server.baseUrl()).withKey(TestServer.PUBLISHABLE_KEY);
    var first = browser.get("/v1/providers/webpush/public-key");
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    String key = first.json().get("public_key").asString();
    assertThat(Base64.getUrlDecoder().decode(key)).hasSize(65).startsWith((byte) 4);
    assertThat(browser.get("/v1/providers/webpush/public-key").json().get("public_key").asString())
        .isEqualTo(key);
    JsonNode stored = api.get("/v1/providers/webpush").json();
    assertThat(stored.get("public_key").asString()).isEqualTo(key);
    assertThat(stored.get("private_key").asString()).isEqualTo("<redacted>");
    assertThat(browser.get("/v1/providers/webpush").status()).isEqualTo(403);
  }

  @Test
  void anotherAppSeesNoneOfTheseCredentials() {
    var app = server.admin().post("/v1/apps", Map.of("name", "other-provider-app"));
    ApiClient other =
        new ApiClient(server.baseUrl()).withKey(app.json().get("secret_key").asString());
    api.put("/v1/providers/expo", Map.of("access_token", "secret-token"));
    assertThat(other.get("/v1/providers/expo").status()).isEqualTo(404);
    assertThat(other.delete("/v1/providers/expo").status()).isEqualTo(404);
    assertThat(api.get("/v1/providers/expo").json().get("access_token").asString())
        .isEqualTo("<redacted>");
  }

  private static List<String> field(ApiClient.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    List<String> fields = new java.util.ArrayList<>();
    r.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
    return fields;
  }
}
