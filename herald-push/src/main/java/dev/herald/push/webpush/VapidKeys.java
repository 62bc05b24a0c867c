package dev.herald.push.webpush;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;

/**
 * An application server's VAPID key pair (RFC 8292): P-256, the public key as the 65-byte
 * uncompressed point and the private key as the 32-byte scalar, both base64url without padding —
 * the {@code {"public_key", "private_key"}} shape of Herald's {@code webpush} provider credentials
 * and of {@code web-push generate-vapid-keys}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the private key.
 */
public final class VapidKeys {
  private final byte[] publicKey;
  private final byte[] privateKey;

  private VapidKeys(byte[] publicKey, byte[] privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
  }

  /** A new random key pair. */
  public static VapidKeys generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new VapidKeys(
          P256.encodePoint((ECPublicKey) pair.getPublic()),
          P256.encodeScalar(((ECPrivateKey) pair.getPrivate()).getS()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 key generation is not available", e);
    }
  }

  /**
   * Imports a key pair from its base64url forms (padding and standard base64 are tolerated).
   *
   * @throws IllegalArgumentException with a message naming the offending key when either is
   *     missing, not base64url, not P-256 in the expected form (PEM, DER or JWK are refused), or
   *     when the private key does not belong to the public key
   */
  public static VapidKeys fromBase64Url(String publicKey, String privateKey) {
    byte[] pub = decode(publicKey, "VAPID public key");
    P256.decodePoint(pub, "VAPID public key");
    byte[] priv = decode(privateKey, "VAPID private key");
    P256.decodeScalar(priv, "VAPID private key");
    VapidKeys keys = new VapidKeys(pub, priv);
    if (!keys.belongTogether())
      throw new IllegalArgumentException("VAPID private key does not match the VAPID public key");
    return keys;
  }

  /** The public key as browsers take it for {@code applicationServerKey}: 65 bytes, base64url. */
  public String publicKeyBase64Url() {
    return P256.base64Url(publicKey);
  }

  /** The private key, 32 bytes, base64url. A secret: store it encrypted, never log it. */
  public String privateKeyBase64Url() {
    return P256.base64Url(privateKey);
  }

  byte[] publicKeyBytes() {
    return publicKey.clone();
  }

  /** The key pair as keys of the suite's own provider, for signing. */
  PrivateKey privateKey(CryptoSuite crypto) throws GeneralSecurityException {
    return crypto
        .ecKeyFactory()
        .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, privateKey), P256.PARAMS));
  }

  private PublicKey publicKey(KeyFactory factory) throws GeneralSecurityException {
    return factory.generatePublic(
        new ECPublicKeySpec(P256.decodePoint(publicKey, "VAPID public key"), P256.PARAMS));
  }

  private boolean belongTogether() {
    try {
      CryptoSuite jdk = CryptoSuite.jdk();
      byte[] probe = "herald vapid key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = jdk.es256();
      signer.initSign(privateKey(jdk));
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = jdk.es256();
      verifier.initVerify(publicKey(jdk.ecKeyFactory()));
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] decode(String text, String what) {
    if (text != null && text.strip().startsWith("-----BEGIN"))
      throw new IllegalArgumentException(
          what
              + " must be raw base64url ("
              + (what.contains("public") ? "65-byte point" : "32-byte scalar")
              + "), not PEM");
    if (text != null && text.strip().startsWith("{"))
      throw new IllegalArgumentException(what + " must be raw base64url, not a JWK");
    return P256.decodeBase64Url(text, what);
  }

  @Override
  public String toString() {
    return "VapidKeys[public=" + publicKeyBase64Url() + ", private=<masked>]";
  }
}
