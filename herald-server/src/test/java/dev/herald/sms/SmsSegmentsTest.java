package dev.herald.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.sms.SmsSegments.Count;
import dev.herald.sms.SmsSegments.Encoding;
import org.junit.jupiter.api.Test;

class SmsSegmentsTest {
  @Test
  void plainGsmTextFitsOneSegmentUpTo160Characters() {
    assertThat(SmsSegments.count("a".repeat(160))).isEqualTo(new Count(Encoding.GSM7, 160, 160, 1));
    assertThat(SmsSegments.count("a".repeat(161))).isEqualTo(new Count(Encoding.GSM7, 161, 161, 2));
    assertThat(SmsSegments.count("a".repeat(306))).isEqualTo(new Count(Encoding.GSM7, 306, 306, 2));
    assertThat(SmsSegments.count("a".repeat(307)).segments()).isEqualTo(3);
  }

  @Test
  void theGsmAlphabetIncludesAccentsAndGreekCapitals() {
    Count c = SmsSegments.count("Café Ñandù à Ørsted: ΔΦΓΛΩΠΨΣΘΞ £¥§¿¡ @_\n");
    assertThat(c.encoding()).isEqualTo(Encoding.GSM7);
    assertThat(c.units()).isEqualTo(c.characters());
  }

  @Test
  void extensionCharactersTakeTwoSeptetsAndAreNeverSplit() {
    assertThat(SmsSegments.count("€[]{}|^~\\")).isEqualTo(new Count(Encoding.GSM7, 9, 18, 1));
    assertThat(SmsSegments.count("€".repeat(80))).isEqualTo(new Count(Encoding.GSM7, 80, 160, 1));
    assertThat(SmsSegments.count("€".repeat(81)).segments()).isEqualTo(2);
    // 152 plain septets then a two-septet euro: the euro moves to the second segment whole.
    assertThat(SmsSegments.count("a".repeat(152) + "€" + "a".repeat(10)).segments()).isEqualTo(2);
    assertThat(SmsSegments.count("a".repeat(152) + "€" + "a".repeat(152)).segments()).isEqualTo(3);
  }

  @Test
  void anyOtherCharacterMakesTheWholeTextUcs2() {
    assertThat(SmsSegments.count("Ñandú").encoding())
        .as("ú is not in the GSM alphabet, ù is")
        .isEqualTo(Encoding.UCS2);
    assertThat(SmsSegments.count("Grüße aus Kraków"))
        .isEqualTo(new Count(Encoding.UCS2, 16, 16, 1));
    assertThat(SmsSegments.count("ç".repeat(70))).isEqualTo(new Count(Encoding.UCS2, 70, 70, 1));
    assertThat(SmsSegments.count("ç".repeat(71)).segments()).isEqualTo(2);
    assertThat(SmsSegments.count("ç".repeat(134)).segments()).isEqualTo(2);
    assertThat(SmsSegments.count("ç".repeat(135)).segments()).isEqualTo(3);
  }

  @Test
  void emojiCountAsTwoUtf16UnitsAndSurrogatePairsAreNeverSplit() {
    assertThat(SmsSegments.count("Hi 👋")).isEqualTo(new Count(Encoding.UCS2, 4, 5, 1));
    assertThat(SmsSegments.count("👋".repeat(35))).isEqualTo(new Count(Encoding.UCS2, 35, 70, 1));
    // 66 units then a pair: the pair starts the second segment.
    assertThat(SmsSegments.count("x".repeat(66) + "👋" + "ç".repeat(10)).segments()).isEqualTo(2);
    assertThat(SmsSegments.count("x".repeat(66) + "👋" + "ç".repeat(66)).segments()).isEqualTo(3);
  }

  @Test
  void anEmptyTextTakesNoSegment() {
    assertThat(SmsSegments.count("")).isEqualTo(new Count(Encoding.GSM7, 0, 0, 0));
  }
}
