package dev.herald.push.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FcmServiceAccountTest {
  private static String pem;

  @BeforeAll
  static void makeKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
  }

  private static Map<String, Object> aKeyFile() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", "service_account");
    json.put("project_id", "demo-app");
    json.put("private_key_id", "abc123");
    json.put("private_key", pem);
    json.put("client_email", "sender@demo-app.iam.gserviceaccount.com");
    json.put("token_uri", "https://oauth2.example/token");
    return json;
  }

  private static String text(Map<String, Object> json) {
    return JsonMapper.builder().build().writeValueAsString(json);
  }

  private static void assertFieldRejected(Map<String, Object> json, String field) {
    assertThatThrownBy(() -> FcmServiceAccount.parse(text(json)))
        .isInstanceOfSatisfying(
            InvalidServiceAccountException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageStartingWith(field + ": ");
  }

  @Test
  void aCompleteKeyFileParses() {
    FcmServiceAccount account = FcmServiceAccount.parse(text(aKeyFile()));

    assertThat(account.projectId()).isEqualTo("demo-app");
    assertThat(account.clientEmail()).isEqualTo("sender@demo-app.iam.gserviceaccount.com");
    assertThat(account.privateKeyId()).isEqualTo("abc123");
    assertThat(account.privateKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(account.tokenUri()).isEqualTo(URI.create("https://oauth2.example/token"));
  }

  @Test
  void aParsedMapGivesTheSameAccount() {
    assertThat(FcmServiceAccount.from(aKeyFile()).clientEmail())
        .isEqualTo("sender@demo-app.iam.gserviceaccount.com");
  }

  @Test
  void withoutATokenUriGooglesEndpointIsUsed() {
    Map<String, Object> json = aKeyFile();
    json.remove("token_uri");
    assertThat(FcmServiceAccount.parse(text(json)).tokenUri())
        .isEqualTo(URI.create("https://oauth2.googleapis.com/token"));
  }

  @Test
  void aKeyWithEscapedNewlinesStillParses() {
    Map<String, Object> json = aKeyFile();
    json.put("private_key", pem.replace("\n", "\\n"));
    assertThat(FcmServiceAccount.parse(text(json)).privateKey()).isNotNull();
  }

  @Test
  void anAccountWithoutAPrivateKeyNamesTheField() {
    Map<String, Object> json = aKeyFile();
    json.remove("private_key");
    assertFieldRejected(json, "private_key");
  }

  @Test
  void aPrivateKeyThatDoesNotParseNamesTheField() {
    Map<String, Object> json = aKeyFile();
    json.put(
        "private_key", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    assertFieldRejected(json, "private_key");
  }

  @Test
  void aPrivateKeyThatIsNotPemNamesTheField() {
    Map<String, Object> json = aKeyFile();
    json.put("private_key", "hunter2");
    assertFieldRejected(json, "private_key");
  }

  @Test
  void anAccountWithoutAProjectNamesTheField() {
    Map<String, Object> json = aKeyFile();
    json.put("project_id", " ");
    assertFieldRejected(json, "project_id");
  }

  @Test
  void anAccountWithoutAnEmailNamesTheField() {
    Map<String, Object> json = aKeyFile();
    json.remove("client_email");
    assertFieldRejected(json, "client_email");
  }

  @Test
  void anotherKindOfCredentialNamesTheTypeField() {
    Map<String, Object> json = aKeyFile();
    json.put("type", "authorized_user");
    assertFieldRejected(json, "type");
  }

  @Test
  void aTokenUriThatIsNotAnHttpUrlNamesTheField() {
    Map<String, Object> json = aKeyFile();
    json.put("token_uri", "file:///etc/passwd");
    assertFieldRejected(json, "token_uri");
  }

  @Test
  void aNumberWhereTextBelongsNamesTheField() {
    Map<String, Object> json = aKeyFile();
    json.put("project_id", 42);
    assertFieldRejected(json, "project_id");
  }

  @Test
  void textThatIsNotJsonNamesTheWholeAccount() {
    assertThatThrownBy(() -> FcmServiceAccount.parse("{not json"))
        .isInstanceOfSatisfying(
            InvalidServiceAccountException.class,
            e -> assertThat(e.field()).isEqualTo("service_account"));
  }

  @Test
  void theKeyNeverAppearsInTextOrErrors() {
    FcmServiceAccount account = FcmServiceAccount.parse(text(aKeyFile()));
    assertThat(account.toString()).contains("<masked>").doesNotContain("BEGIN");
    Map<String, Object> json = aKeyFile();
    json.put("private_key", pem.substring(0, 200) + "-----END PRIVATE KEY-----");
    assertThatThrownBy(() -> FcmServiceAccount.parse(text(json)))
        .message()
        .doesNotContain(pem.substring(30, 90));
  }
}
