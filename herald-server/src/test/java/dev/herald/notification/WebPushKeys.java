package dev.herald.notification;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Web Push subscription keys as a browser makes them. */
final class WebPushKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebPushKeys() {}

  /** A fresh P-256 public key: the 65-byte uncompressed point, base64url. */
  static String p256dh() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      ECPublicKey key = (ECPublicKey) g.generateKeyPair().getPublic();
      byte[] point = new byte[65];
      point[0] = 0x04;
      copy32(key.getW().getAffineX(), point, 1);
      copy32(key.getW().getAffineY(), point, 33);
      return base64Url(point);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh 16-byte auth secret, base64url. */
  static String auth() {
    byte[] secret = new byte[16];
    RANDOM.nextBytes(secret);
    return base64Url(secret);
  }

  /** A coordinate as exactly 32 big-endian bytes (BigInteger may add a sign byte or drop zeros). */
  private static void copy32(BigInteger n, byte[] out, int at) {
    byte[] raw = n.toByteArray();
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, at + 32 - len, len);
  }

  private static String base64Url(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
