package dev.herald.store;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Time-ordered identifiers: 10 characters of milliseconds and 16 of randomness in Crockford's
 * base32 (the ULID layout). Sorting ids sorts by creation time, so lists page by id alone.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;

  public Ids(Clock clock) {
    this.clock = clock;
  }

  public String next() {
    return next(clock.millis());
  }

  public static String next(long millis) {
    char[] out = new char[26];
    long t = millis;
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (t & 31)];
      t >>>= 5;
    }
    long hi = RANDOM.nextLong();
    long lo = RANDOM.nextLong();
    for (int i = 10; i < 23; i++) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    for (int i = 23; i < 26; i++) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return new String(out);
  }
}
