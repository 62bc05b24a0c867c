package dev.herald.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API keys: 256 random bits behind a kind prefix, stored only as SHA-256 hashes. A plain hash is
 * right here (not a slow password hash) because the keys themselves carry full entropy.
 */
public final class Keys {
  public static final String SECRET = "sk_";
  public static final String PUBLISHABLE = "pk_";
  public static final String ADMIN = "ak_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Keys() {}

  public static String generate(String prefix) {
    return prefix + randomToken(32);
  }

  public static String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison, so response times tell nothing about how much of a key matched. */
  public static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  /** What lists show of a key: its kind prefix and a few characters. */
  public static String displayPrefix(String key) {
    return key.substring(0, Math.min(key.length(), 10));
  }
}
