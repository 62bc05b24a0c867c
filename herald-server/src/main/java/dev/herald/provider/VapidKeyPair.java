package dev.herald.provider;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A VAPID key pair in the SPEC's form: the public key as the 65-byte uncompressed P-256 point and
 * the private key as the 32-byte scalar, both base64url without padding.
 */
record VapidKeyPair(String publicKey, String privateKey) {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  static VapidKeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = g.generateKeyPair();
      ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
      byte[] point = new byte[65];
      point[0] = 4;
      System.arraycopy(unsigned(w.getAffineX()), 0, point, 1, 32);
      System.arraycopy(unsigned(w.getAffineY()), 0, point, 33, 32);
      return new VapidKeyPair(B64.encodeToString(point), B64.encodeToString(unsigned(((ECPrivateKey) pair.getPrivate()).getS())));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is unavailable", e);
    }
  }

  /** Why the pair is unusable (naming the key), or empty when both keys are P-256 and belong together. */
  Optional<String[]> problem() {
    byte[] pub = decode(publicKey);
    if (pub == null || pub.length != 65 || pub[0] != 4) return Optional.of(new String[] {"public_key", "must be a base64url uncompressed P-256 point (65 bytes)"});
    byte[] priv = decode(privateKey);
    if (priv == null || priv.length != 32) return Optional.of(new String[] {"private_key", "must be a base64url P-256 private key (32 bytes)"});
    try {
      ECParameterSpec p256 = p256();
      ECPublicKeySpec pubSpec = new ECPublicKeySpec(
          new ECPoint(new BigInteger(1, Arrays.copyOfRange(pub, 1, 33)), new BigInteger(1, Arrays.copyOfRange(pub, 33, 65))), p256);
      KeyFactory kf = KeyFactory.getInstance("EC");
      var publicKey = kf.generatePublic(pubSpec);
      var privateKey = kf.generatePrivate(new ECPrivateKeySpec(new BigInteger(1, priv), p256));
      byte[] probe = "herald-vapid-check".getBytes();
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(privateKey);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(publicKey);
      s.update(probe);
      if (!s.verify(sig)) return Optional.of(new String[] {"private_key", "does not belong to public_key"});
      return Optional.empty();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.of(new String[] {"public_key", "is not a point on P-256"});
    }
  }

  private static ECParameterSpec p256() throws GeneralSecurityException {
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    return params.getParameterSpec(ECParameterSpec.class);
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] raw = n.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(32, raw.length);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  private static byte[] decode(String b64) {
    if (b64 == null) return null;
    try {
      return Base64.getUrlDecoder().decode(b64.replace("=", ""));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
