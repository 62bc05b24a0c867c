package dev.herald.push.apns;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The private key of an APNs auth key (the {@code .p8} file Apple hands out): PKCS#8, PEM-armoured,
 * EC on P-256. Immutable and thread-safe; {@link #toString()} never shows the key.
 */
public final class ApnsSigningKey {
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";
  private static final ECParameterSpec P256 = p256();
  // Algorithms tried only to name what a non-EC key is in the error message.
  private static final List<String> OTHER_ALGORITHMS = List.of("RSA", "Ed25519", "Ed448", "DSA");

  private final ECPrivateKey key;

  private ApnsSigningKey(ECPrivateKey key) {
    this.key = key;
  }

  /**
   * Reads the text of a {@code .p8} file.
   *
   * @throws InvalidSigningKeyException when the text is not a PEM PKCS#8 private key, or the key is
   *     not EC P-256
   * @throws NullPointerException when {@code pem} is null
   */
  public static ApnsSigningKey fromPem(String pem) {
    Objects.requireNonNull(pem, "pem");
    if (pem.contains("-----BEGIN EC PRIVATE KEY-----"))
      throw new InvalidSigningKeyException(
          "signing key is a SEC1 'EC PRIVATE KEY'; use the .p8 file from Apple as it is (-----BEGIN"
              + " PRIVATE KEY-----)");
    if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
      throw new InvalidSigningKeyException(
          "signing key is an encrypted private key; use the unencrypted .p8 file from Apple");
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin)
      throw new InvalidSigningKeyException(
          "signing key is not a PEM private key: expected the .p8 file's text between "
              + BEGIN
              + " and "
              + END);
    byte[] der;
    try {
      der =
          Base64.getDecoder()
              .decode(pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new InvalidSigningKeyException(
          "signing key is not a PEM private key: the body is not base64", e);
    }
    return fromPkcs8(der);
  }

  /** Reads a DER-encoded PKCS#8 private key; same failures as {@link #fromPem(String)}. */
  public static ApnsSigningKey fromPkcs8(byte[] der) {
    PrivateKey parsed;
    try {
      parsed = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      String other = otherAlgorithm(der);
      throw new InvalidSigningKeyException(
          other == null
              ? "signing key is not a PKCS#8 private key"
              : "signing key is an " + other + " key; APNs needs an EC P-256 (ES256) key",
          e);
    }
    if (!(parsed instanceof ECPrivateKey ec) || !isP256(ec.getParams()))
      throw new InvalidSigningKeyException(
          "signing key is an EC key on another curve; APNs needs an EC P-256 (ES256) key");
    return new ApnsSigningKey(ec);
  }

  ECPrivateKey key() {
    return key;
  }

  @Override
  public String toString() {
    return "ApnsSigningKey[<masked>]";
  }

  private static String otherAlgorithm(byte[] der) {
    for (String algorithm : OTHER_ALGORITHMS) {
      try {
        KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        return algorithm;
      } catch (GeneralSecurityException | RuntimeException ignored) {
        // not this one either
      }
    }
    return null;
  }

  private static boolean isP256(ECParameterSpec params) {
    return params.getCofactor() == P256.getCofactor()
        && params.getOrder().equals(P256.getOrder())
        && params.getCurve().equals(P256.getCurve())
        && params.getGenerator().equals(P256.getGenerator());
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no P-256 curve", e);
    }
  }
}
