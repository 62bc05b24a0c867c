package dev.herald.sms;

import java.util.regex.Pattern;

/** Phone numbers and sender ids as SMS providers accept them. */
public final class PhoneNumbers {
  /**
   * E.164: a plus, a country code that does not start with 0, and at most 15 digits in all. Seven
   * is the shortest in use (e.g. Niue, +683 and four digits).
   */
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{3,8}");
  // Alphanumeric sender ids: up to 11 characters, at least one letter.
  private static final Pattern ALPHANUMERIC = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}");

  private PhoneNumbers() {}

  public static boolean isE164(String number) {
    return number != null && E164.matcher(number).matches();
  }

  /** A number, short code or alphanumeric sender id a message may come from. */
  public static boolean isSender(String from) {
    return isE164(from)
        || SHORT_CODE.matcher(from).matches()
        || ALPHANUMERIC.matcher(from).matches();
  }
}
