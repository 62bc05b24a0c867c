package dev.herald.provider;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/** Reads PKCS#8 private keys from PEM text, as .p8 files and service-account JSON carry them. */
final class Pem {
  private Pem() {}

  /** The key, or empty when the text is not a PKCS#8 PEM of {@code algorithm} ("EC" or "RSA"). */
  static Optional<PrivateKey> privateKey(String pem, String algorithm) {
    if (pem == null) return Optional.empty();
    String body =
        pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    if (body.isEmpty() || !pem.contains("-----BEGIN PRIVATE KEY-----")) return Optional.empty();
    try {
      byte[] der = Base64.getDecoder().decode(body);
      return Optional.of(
          KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der)));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** Whether an EC key is on P-256 (secp256r1), the only curve ES256 uses. */
  static boolean isP256(PrivateKey key) {
    if (!(key instanceof ECPrivateKey ec)) return false;
    ECParameterSpec p = ec.getParams();
    return p.getCurve().getField().getFieldSize() == 256
        && p.getOrder().toString(16).equals(P256_ORDER);
  }

  private static final String P256_ORDER =
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
}
