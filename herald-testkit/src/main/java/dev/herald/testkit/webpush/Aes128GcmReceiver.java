package dev.herald.testkit.webpush;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The user agent's side of RFC 8291: decrypts an {@code aes128gcm} (RFC 8188) body with the
 * subscription's private key and auth secret. Written from the RFCs on the JDK's HKDF ({@code
 * javax.crypto.KDF}), independent of any sender; it reads every record, checks the delimiters and
 * padding, and refuses anything malformed. Stateless and thread-safe.
 */
final class Aes128GcmReceiver {
  private static final int TAG = 16;
  private static final int MIN_RECORD_SIZE = 18;

  private Aes128GcmReceiver() {}

  /** Thrown for any body that a browser would drop. */
  static final class DecryptionException extends Exception {
    DecryptionException(String message) {
      super(message);
    }

    DecryptionException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param uaPublic the subscription's public key, 65 bytes uncompressed
   */
  static byte[] decrypt(byte[] body, PrivateKey uaPrivate, byte[] uaPublic, byte[] authSecret)
      throws DecryptionException {
    if (body.length < 21) throw new DecryptionException("body shorter than the header");
    ByteBuffer in = ByteBuffer.wrap(body);
    byte[] salt = new byte[16];
    in.get(salt);
    long rs = Integer.toUnsignedLong(in.getInt());
    int idlen = in.get() & 0xff;
    if (rs < MIN_RECORD_SIZE) throw new DecryptionException("record size " + rs + " below 18");
    if (idlen != 65)
      throw new DecryptionException("keyid must be the 65-byte sender key, idlen " + idlen);
    if (in.remaining() < idlen) throw new DecryptionException("body shorter than its keyid");
    byte[] asPublic = new byte[idlen];
    in.get(asPublic);
    byte[] ciphertext = new byte[in.remaining()];
    in.get(ciphertext);
    try {
      byte[] ecdhSecret = ecdh(uaPrivate, asPublic);
      KDF hkdf = KDF.getInstance("HKDF-SHA256");
      byte[] keyInfo = concat("WebPush: info\0".getBytes(US_ASCII), uaPublic, asPublic);
      byte[] ikm =
          hkdf.deriveData(
              HKDFParameterSpec.ofExtract()
                  .addIKM(ecdhSecret)
                  .addSalt(authSecret)
                  .thenExpand(keyInfo, 32));
      byte[] cek =
          hkdf.deriveData(
              HKDFParameterSpec.ofExtract()
                  .addIKM(ikm)
                  .addSalt(salt)
                  .thenExpand("Content-Encoding: aes128gcm\0".getBytes(US_ASCII), 16));
      byte[] nonce =
          hkdf.deriveData(
              HKDFParameterSpec.ofExtract()
                  .addIKM(ikm)
                  .addSalt(salt)
                  .thenExpand("Content-Encoding: nonce\0".getBytes(US_ASCII), 12));
      return records(ciphertext, (int) Math.min(rs, Integer.MAX_VALUE), cek, nonce);
    } catch (GeneralSecurityException e) {
      throw new DecryptionException("decryption failed: " + e.getMessage(), e);
    }
  }

  private static byte[] records(byte[] ciphertext, int rs, byte[] cek, byte[] nonce)
      throws GeneralSecurityException, DecryptionException {
    if (ciphertext.length == 0) throw new DecryptionException("no records");
    ByteBuffer plaintext = ByteBuffer.allocate(ciphertext.length);
    int offset = 0;
    long seq = 0;
    while (offset < ciphertext.length) {
      int length = Math.min(rs, ciphertext.length - offset);
      boolean last = offset + length == ciphertext.length;
      if (length <= TAG) throw new DecryptionException("record " + seq + " holds no data");
      Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
      aes.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(cek, "AES"),
          new GCMParameterSpec(TAG * 8, recordNonce(nonce, seq)));
      byte[] record = aes.doFinal(ciphertext, offset, length);
      int end = record.length - 1;
      while (end >= 0 && record[end] == 0) end--; // padding
      if (end < 0) throw new DecryptionException("record " + seq + " has no delimiter");
      byte expected = (byte) (last ? 2 : 1);
      if (record[end] != expected)
        throw new DecryptionException(
            "record " + seq + " ends with delimiter " + record[end] + ", expected " + expected);
      if (!last && length != rs)
        throw new DecryptionException("record " + seq + " is shorter than the record size");
      plaintext.put(record, 0, end);
      offset += length;
      seq++;
    }
    return Arrays.copyOf(plaintext.array(), plaintext.position());
  }

  /** RFC 8188 §2.3: the nonce XOR the record sequence number, as a 96-bit big-endian integer. */
  private static byte[] recordNonce(byte[] nonce, long seq) {
    byte[] out = nonce.clone();
    for (int i = 0; i < 8; i++) out[11 - i] ^= (byte) (seq >>> (8 * i));
    return out;
  }

  private static byte[] ecdh(PrivateKey uaPrivate, byte[] asPublic)
      throws GeneralSecurityException, DecryptionException {
    if (asPublic[0] != 4) throw new DecryptionException("keyid is not an uncompressed point");
    ECPoint point =
        new ECPoint(
            new BigInteger(1, Arrays.copyOfRange(asPublic, 1, 33)),
            new BigInteger(1, Arrays.copyOfRange(asPublic, 33, 65)));
    var params = ((java.security.interfaces.ECKey) uaPrivate).getParams();
    ECPublicKey sender =
        (ECPublicKey)
            KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, params));
    KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
    agreement.init(uaPrivate);
    agreement.doPhase(sender, true);
    return agreement.generateSecret();
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) length += p.length;
    ByteBuffer out = ByteBuffer.allocate(length);
    for (byte[] p : parts) out.put(p);
    return out.array();
  }
}
