package dev.herald.push.webpush;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.Base64;

/** P-256 points and scalars in the byte forms Web Push uses, and lenient base64url. */
final class P256 {
  /** Uncompressed point: 0x04 || x || y. */
  static final int POINT_LENGTH = 65;

  static final int SCALAR_LENGTH = 32;
  static final ECParameterSpec PARAMS = params();

  private static final BigInteger P = ((ECFieldFp) PARAMS.getCurve().getField()).getP();
  private static final BigInteger A = PARAMS.getCurve().getA();
  private static final BigInteger B = PARAMS.getCurve().getB();

  private P256() {}

  /**
   * The point a 65-byte uncompressed encoding names.
   *
   * @throws IllegalArgumentException naming {@code what} when the bytes are not a point on P-256
   */
  static ECPoint decodePoint(byte[] encoded, String what) {
    if (encoded.length != POINT_LENGTH || encoded[0] != 0x04)
      throw new IllegalArgumentException(
          what
              + " must be an uncompressed P-256 point (65 bytes starting 0x04), got "
              + encoded.length
              + " bytes"
              + (encoded.length == 97 ? " (a P-384 key?)" : ""));
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 33, 65));
    if (x.compareTo(P) >= 0
        || y.compareTo(P) >= 0
        || !y.multiply(y)
            .subtract(x.pow(3).add(A.multiply(x)).add(B))
            .mod(P)
            .equals(BigInteger.ZERO))
      throw new IllegalArgumentException(what + " is not a point on the P-256 curve");
    return new ECPoint(x, y);
  }

  static byte[] encodePoint(ECPublicKey key) {
    ECPoint w = key.getW();
    byte[] out = new byte[POINT_LENGTH];
    out[0] = 0x04;
    unsigned(w.getAffineX(), out, 1);
    unsigned(w.getAffineY(), out, 33);
    return out;
  }

  /** A private scalar from its 32-byte big-endian form, checked to lie in [1, n). */
  static BigInteger decodeScalar(byte[] encoded, String what) {
    if (encoded.length != SCALAR_LENGTH)
      throw new IllegalArgumentException(
          what + " must be a 32-byte P-256 private scalar, got " + encoded.length + " bytes");
    BigInteger s = new BigInteger(1, encoded);
    if (s.signum() == 0 || s.compareTo(PARAMS.getOrder()) >= 0)
      throw new IllegalArgumentException(what + " is out of range for P-256");
    return s;
  }

  static byte[] encodeScalar(BigInteger s) {
    byte[] out = new byte[SCALAR_LENGTH];
    unsigned(s, out, 0);
    return out;
  }

  /** Decodes base64url with or without padding; standard base64's '+' and '/' are accepted too. */
  static byte[] decodeBase64Url(String text, String what) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException(what + " is missing");
    String normalized = text.strip().replace('+', '-').replace('/', '_');
    int end = normalized.length();
    while (end > 0 && normalized.charAt(end - 1) == '=') end--;
    try {
      return Base64.getUrlDecoder().decode(normalized.substring(0, end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not base64url", e);
    }
  }

  static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void unsigned(BigInteger value, byte[] out, int offset) {
    byte[] raw = value.toByteArray(); // may carry a leading sign byte or be shorter than 32
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, out, offset + 32 - length, length);
  }

  private static ECParameterSpec params() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC", "SunEC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
