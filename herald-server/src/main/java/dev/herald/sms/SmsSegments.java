package dev.herald.sms;

/**
 * How many SMS segments a text takes, as carriers bill it (3GPP TS 23.038). A text written only in
 * the GSM 7-bit alphabet counts septets, with the extension table's characters ({@code ^ { } \ [ ~
 * ] | €} and form feed) taking two: one segment holds 160, a concatenated one 153 (the header takes
 * the rest). Any other character makes the whole text UCS-2, counted in UTF-16 code units (an emoji
 * takes two): 70 in one segment, 67 when concatenated.
 */
public final class SmsSegments {
  public enum Encoding {
    GSM7,
    UCS2
  }

  /**
   * @param units septets for GSM-7, UTF-16 code units for UCS-2
   */
  public record Count(Encoding encoding, int characters, int units, int segments) {}

  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  private static final String EXTENSION = "\f^{}\\[~]|€";

  private SmsSegments() {}

  public static Count count(String text) {
    int characters = text.codePointCount(0, text.length());
    int[] septets = new int[characters];
    int i = 0;
    for (int at = 0; at < text.length(); at += Character.charCount(text.codePointAt(at))) {
      int c = text.codePointAt(at);
      if (c <= 0xFFFF && EXTENSION.indexOf(c) >= 0) {
        septets[i++] = 2;
      } else if (c <= 0xFFFF && c != 0x1B && BASIC.indexOf(c) >= 0) {
        septets[i++] = 1;
      } else {
        return ucs2(text, characters);
      }
    }
    return count(Encoding.GSM7, characters, septets, 160, 153);
  }

  private static Count ucs2(String text, int characters) {
    int[] units = text.codePoints().map(Character::charCount).toArray();
    return count(Encoding.UCS2, characters, units, 70, 67);
  }

  /**
   * Fills segments character by character: an escaped GSM character or a surrogate pair is never
   * split across two segments, so a long text may need one more than plain division says.
   */
  private static Count count(
      Encoding encoding, int characters, int[] weights, int single, int concatenated) {
    int total = 0;
    for (int w : weights) total += w;
    if (total == 0) return new Count(encoding, characters, 0, 0);
    if (total <= single) return new Count(encoding, characters, total, 1);
    int segments = 1;
    int used = 0;
    for (int w : weights) {
      if (used + w > concatenated) {
        segments++;
        used = 0;
      }
      used += w;
    }
    return new Count(encoding, characters, total, segments);
  }
}
