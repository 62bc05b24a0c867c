package dev.herald.push.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class VapidKeysTest {
  private static final VapidKeys KEYS = VapidKeys.generate();

  @Test
  void generatedKeysExportAsA65BytePointAndA32ByteScalar() {
    assertThat(decode(KEYS.publicKeyBase64Url())).hasSize(65).startsWith(4);
    assertThat(decode(KEYS.privateKeyBase64Url())).hasSize(32);
    assertThat(KEYS.publicKeyBase64Url()).doesNotContain("=", "+", "/");
  }

  @Test
  void exportedKeysImportBackToTheSamePair() {
    VapidKeys imported =
        VapidKeys.fromBase64Url(KEYS.publicKeyBase64Url(), KEYS.privateKeyBase64Url());

    assertThat(imported.publicKeyBase64Url()).isEqualTo(KEYS.publicKeyBase64Url());
    assertThat(imported.privateKeyBase64Url()).isEqualTo(KEYS.privateKeyBase64Url());
  }

  @Test
  void keysFromTheWebPushNodeToolImport() {
    // The RFC 8291 example's application server keys, in web-push's output format.
    VapidKeys keys = VapidKeys.fromBase64Url(Rfc8291Vector.AS_PUBLIC, Rfc8291Vector.AS_PRIVATE);

    assertThat(keys.publicKeyBase64Url()).isEqualTo(Rfc8291Vector.AS_PUBLIC);
  }

  @Test
  void aPrivateKeyOfAnotherPairIsRefused() {
    assertThatThrownBy(
            () ->
                VapidKeys.fromBase64Url(
                    KEYS.publicKeyBase64Url(), VapidKeys.generate().privateKeyBase64Url()))
        .hasMessage("VAPID private key does not match the VAPID public key");
  }

  @Test
  void aP384PublicKeyIsRefusedNamingThePublicKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    ECPublicKey p384 = (ECPublicKey) generator.generateKeyPair().getPublic();
    byte[] point = new byte[97];
    point[0] = 4;
    copy(p384.getW().getAffineX(), point, 1);
    copy(p384.getW().getAffineY(), point, 49);

    assertThatThrownBy(
            () -> VapidKeys.fromBase64Url(P256.base64Url(point), KEYS.privateKeyBase64Url()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("VAPID public key must be an uncompressed P-256 point")
        .hasMessageContaining("got 97 bytes (a P-384 key?)");
  }

  @Test
  void aCompressedPublicKeyIsRefused() {
    byte[] compressed = new byte[33];
    compressed[0] = 2;

    assertThatThrownBy(
            () -> VapidKeys.fromBase64Url(P256.base64Url(compressed), KEYS.privateKeyBase64Url()))
        .hasMessageContaining("VAPID public key")
        .hasMessageContaining("got 33 bytes");
  }

  @Test
  void aPublicKeyOffTheCurveIsRefused() {
    byte[] point = decode(KEYS.publicKeyBase64Url());
    point[64] ^= 1;

    assertThatThrownBy(
            () -> VapidKeys.fromBase64Url(P256.base64Url(point), KEYS.privateKeyBase64Url()))
        .hasMessage("VAPID public key is not a point on the P-256 curve");
  }

  @Test
  void aPrivateKeyOfTheWrongLengthIsRefusedNamingThePrivateKey() {
    assertThatThrownBy(
            () -> VapidKeys.fromBase64Url(KEYS.publicKeyBase64Url(), P256.base64Url(new byte[48])))
        .hasMessage("VAPID private key must be a 32-byte P-256 private scalar, got 48 bytes");
  }

  @Test
  void aZeroPrivateKeyIsRefused() {
    assertThatThrownBy(
            () -> VapidKeys.fromBase64Url(KEYS.publicKeyBase64Url(), P256.base64Url(new byte[32])))
        .hasMessage("VAPID private key is out of range for P-256");
  }

  @Test
  void pemAndMissingKeysAreRefusedWithAClearMessage() {
    assertThatThrownBy(
            () ->
                VapidKeys.fromBase64Url(
                    KEYS.publicKeyBase64Url(), "-----BEGIN PRIVATE KEY-----\nMIGH...\n"))
        .hasMessageContaining("VAPID private key must be raw base64url")
        .hasMessageContaining("not PEM");
    assertThatThrownBy(() -> VapidKeys.fromBase64Url(null, KEYS.privateKeyBase64Url()))
        .hasMessage("VAPID public key is missing");
    assertThatThrownBy(() -> VapidKeys.fromBase64Url("not base64!", KEYS.privateKeyBase64Url()))
        .hasMessage("VAPID public key is not base64url");
  }

  @Test
  void toStringMasksThePrivateKey() {
    assertThat(KEYS.toString())
        .contains(KEYS.publicKeyBase64Url())
        .doesNotContain(KEYS.privateKeyBase64Url())
        .contains("<masked>");
  }

  private static void copy(BigInteger coordinate, byte[] out, int offset) {
    byte[] raw = coordinate.toByteArray();
    int length = Math.min(raw.length, 48);
    System.arraycopy(raw, raw.length - length, out, offset + 48 - length, length);
  }

  private static byte[] decode(String b64) {
    return Base64.getUrlDecoder().decode(b64);
  }
}
