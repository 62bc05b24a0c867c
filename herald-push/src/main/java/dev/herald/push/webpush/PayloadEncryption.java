package dev.herald.push.webpush;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 8291 message encryption with the {@code aes128gcm} content coding of RFC 8188, as one record.
 *
 * <p>Every message gets a fresh ECDH key pair and a fresh 16-byte salt (RFC 8291 §3.1); the body is
 * {@code salt(16) || rs(4) = 4096 || idlen(1) = 65 || keyid = as_public(65) || ciphertext}, and the
 * plaintext ends with the last-record delimiter 0x02 and no further padding. Thread-safe.
 */
final class PayloadEncryption {
  static final int RECORD_SIZE = 4096;
  static final int SALT_LENGTH = 16;
  static final int AUTH_LENGTH = 16;
  static final int HEADER_LENGTH = SALT_LENGTH + 4 + 1 + P256.POINT_LENGTH; // 86
  static final int TAG_LENGTH = 16;

  /** Push services must take bodies of 4096 bytes (RFC 8030 §7.2); larger ones may be refused. */
  static final int MAX_BODY_LENGTH = 4096;

  /** 4096 − 86 header − 16 tag − 1 delimiter = 3993 bytes of plaintext (RFC 8291 §4). */
  static final int MAX_PLAINTEXT_LENGTH = MAX_BODY_LENGTH - HEADER_LENGTH - TAG_LENGTH - 1;

  private static final byte[] KEY_INFO = "WebPush: info\0".getBytes(US_ASCII);
  private static final byte[] CEK_INFO = "Content-Encoding: aes128gcm\0\1".getBytes(US_ASCII);
  private static final byte[] NONCE_INFO = "Content-Encoding: nonce\0\1".getBytes(US_ASCII);
  private static final byte[] ONE = {1};
  private static final byte LAST_RECORD = 2;

  private final CryptoSuite crypto;
  private final SecureRandom random;

  PayloadEncryption(CryptoSuite crypto, SecureRandom random) {
    this.crypto = crypto;
    this.random = random;
  }

  /**
   * Encrypts {@code plaintext} for the user agent whose key is {@code uaPublic} (65 bytes,
   * uncompressed) and whose auth secret is {@code authSecret} (16 bytes).
   *
   * @throws IllegalArgumentException when the plaintext is longer than {@link
   *     #MAX_PLAINTEXT_LENGTH} or a key is malformed
   */
  byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret)
      throws GeneralSecurityException {
    return encrypt(plaintext, P256.decodePoint(uaPublic, "p256dh key"), uaPublic, authSecret);
  }

  /** The same for a key already decoded (and checked to be on the curve) as {@code uaPoint}. */
  byte[] encrypt(byte[] plaintext, ECPoint uaPoint, byte[] uaPublic, byte[] authSecret)
      throws GeneralSecurityException {
    byte[] salt = new byte[SALT_LENGTH];
    random.nextBytes(salt);
    KeyPair sender = crypto.p256KeyPairGenerator().generateKeyPair();
    return encrypt(plaintext, uaPoint, uaPublic, authSecret, salt, sender);
  }

  /** With a chosen salt and sender key pair: only for reproducing published vectors. */
  byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret, byte[] salt, KeyPair sender)
      throws GeneralSecurityException {
    return encrypt(
        plaintext, P256.decodePoint(uaPublic, "p256dh key"), uaPublic, authSecret, salt, sender);
  }

  private byte[] encrypt(
      byte[] plaintext,
      ECPoint uaPoint,
      byte[] uaPublic,
      byte[] authSecret,
      byte[] salt,
      KeyPair sender)
      throws GeneralSecurityException {
    if (plaintext.length > MAX_PLAINTEXT_LENGTH)
      throw new IllegalArgumentException(
          "payload of " + plaintext.length + " bytes exceeds " + MAX_PLAINTEXT_LENGTH);
    if (salt.length != SALT_LENGTH)
      throw new IllegalArgumentException("salt must be 16 bytes, got " + salt.length);
    if (authSecret.length != AUTH_LENGTH)
      throw new IllegalArgumentException("auth secret must be 16 bytes, got " + authSecret.length);
    PublicKey uaKey =
        crypto.ecKeyFactory().generatePublic(new ECPublicKeySpec(uaPoint, P256.PARAMS));
    byte[] asPublic = P256.encodePoint((ECPublicKey) sender.getPublic());

    KeyAgreement ecdh = crypto.ecdh();
    ecdh.init(sender.getPrivate());
    ecdh.doPhase(uaKey, true);
    byte[] ecdhSecret = ecdh.generateSecret();

    Mac mac = crypto.hmacSha256();
    // RFC 8291 §3.4: HKDF(auth_secret, ecdh_secret, key_info, 32), then HKDF(salt, IKM, …).
    byte[] prkKey = hmac(mac, authSecret, ecdhSecret);
    byte[] ikm = hmac(mac, prkKey, KEY_INFO, uaPublic, asPublic, ONE);
    byte[] prk = hmac(mac, salt, ikm);
    byte[] cek = Arrays.copyOf(hmac(mac, prk, CEK_INFO), 16);
    byte[] nonce = Arrays.copyOf(hmac(mac, prk, NONCE_INFO), 12);

    byte[] record = Arrays.copyOf(plaintext, plaintext.length + 1);
    record[plaintext.length] = LAST_RECORD;
    byte[] body = new byte[HEADER_LENGTH + record.length + TAG_LENGTH];
    ByteBuffer.wrap(body).put(salt).putInt(RECORD_SIZE).put((byte) P256.POINT_LENGTH).put(asPublic);
    Cipher aes = crypto.aesGcm();
    aes.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(cek, "AES"),
        new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    int written = aes.doFinal(record, 0, record.length, body, HEADER_LENGTH);
    if (written != record.length + TAG_LENGTH)
      throw new GeneralSecurityException("AES-GCM wrote " + written + " bytes");
    return body;
  }

  /** The body length for a plaintext of {@code plaintextLength} bytes. */
  static int bodyLength(int plaintextLength) {
    return HEADER_LENGTH + plaintextLength + 1 + TAG_LENGTH;
  }

  private static byte[] hmac(Mac mac, byte[] key, byte[]... parts) throws GeneralSecurityException {
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    for (byte[] part : parts) mac.update(part);
    return mac.doFinal();
  }
}
