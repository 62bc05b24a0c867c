package dev.herald.push.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.testkit.apns.ApnsTeamKey;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ApnsSigningKeyTest {
  private static final ApnsTeamKey KEY = ApnsTeamKey.generate("TEAM123456", "KEY1234567");

  @Test
  void readsTheP8FileAppleHandsOut() {
    ApnsSigningKey key = ApnsSigningKey.fromPem(KEY.privateKeyPem());
    assertThat(key.key().getS()).isEqualTo(KEY.privateKey().getS());
  }

  @Test
  void toleratesWindowsLineEndingsAndSurroundingText() {
    String pem = "exported key:\r\n" + KEY.privateKeyPem().replace("\n", "\r\n") + "\r\n";
    assertThat(ApnsSigningKey.fromPem(pem).key().getS()).isEqualTo(KEY.privateKey().getS());
  }

  @Test
  void neverShowsTheKeyInToString() {
    assertThat(ApnsSigningKey.fromPem(KEY.privateKeyPem()).toString())
        .isEqualTo("ApnsSigningKey[<masked>]");
  }

  @Test
  void refusesTextThatIsNotPem() {
    assertThatThrownBy(() -> ApnsSigningKey.fromPem("not a key"))
        .isInstanceOf(InvalidSigningKeyException.class)
        .hasMessageContaining("not a PEM private key")
        .hasMessageContaining("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void refusesAPemWhoseBodyIsNotBase64() {
    assertThatThrownBy(
            () ->
                ApnsSigningKey.fromPem(
                    "-----BEGIN PRIVATE KEY-----\n%%%\n-----END PRIVATE KEY-----"))
        .isInstanceOf(InvalidSigningKeyException.class)
        .hasMessageContaining("not base64");
  }

  @Test
  void refusesAPemWhoseBodyIsNotAKey() {
    assertThatThrownBy(() -> ApnsSigningKey.fromPem(pem(new byte[] {1, 2, 3, 4})))
        .isInstanceOf(InvalidSigningKeyException.class)
        .hasMessage("signing key is not a PKCS#8 private key");
  }

  @Test
  void refusesAnRsaKeyNamingWhatItIs() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    assertThatThrownBy(
            () -> ApnsSigningKey.fromPem(pem(rsa.generateKeyPair().getPrivate().getEncoded())))
        .isInstanceOf(InvalidSigningKeyException.class)
        .hasMessage("signing key is an RSA key; APNs needs an EC P-256 (ES256) key");
  }

  @Test
  void refusesAnEcKeyOnP384() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    assertThatThrownBy(
            () -> ApnsSigningKey.fromPem(pem(ec.generateKeyPair().getPrivate().getEncoded())))
        .isInstanceOf(InvalidSigningKeyException.class)
        .hasMessageContaining("another curve");
  }

  @Test
  void refusesASec1KeyExplainingTheP8IsExpected() {
    assertThatThrownBy(
            () ->
                ApnsSigningKey.fromPem(
                    "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----"))
        .isInstanceOf(InvalidSigningKeyException.class)
        .hasMessageContaining("SEC1");
  }

  private static String pem(byte[] der) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }
}
