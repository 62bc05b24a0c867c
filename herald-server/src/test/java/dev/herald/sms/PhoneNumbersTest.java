package dev.herald.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {
  @Test
  void e164IsAPlusACountryCodeNotStartingWithZeroAndAtMostFifteenDigits() {
    assertThat(PhoneNumbers.isE164("+14155550100")).isTrue();
    assertThat(PhoneNumbers.isE164("+4915123456789")).isTrue();
    assertThat(PhoneNumbers.isE164("+6834001")).as("Niue: seven digits").isTrue();
    assertThat(PhoneNumbers.isE164("+123456789012345")).as("fifteen digits").isTrue();
    assertThat(PhoneNumbers.isE164("+1234567890123456")).as("sixteen digits").isFalse();
    assertThat(PhoneNumbers.isE164("+012345678")).isFalse();
    assertThat(PhoneNumbers.isE164("14155550100")).isFalse();
    assertThat(PhoneNumbers.isE164("+1 415 555 0100")).isFalse();
    assertThat(PhoneNumbers.isE164("+1-415-555-0100")).isFalse();
    assertThat(PhoneNumbers.isE164("+123456")).isFalse();
    assertThat(PhoneNumbers.isE164(null)).isFalse();
  }

  @Test
  void aSenderIsANumberAShortCodeOrAnAlphanumericId() {
    assertThat(PhoneNumbers.isSender("+15005550006")).isTrue();
    assertThat(PhoneNumbers.isSender("88222")).isTrue();
    assertThat(PhoneNumbers.isSender("Herald")).isTrue();
    assertThat(PhoneNumbers.isSender("My Shop 24")).isTrue();
    assertThat(PhoneNumbers.isSender("TwelveLetter")).isFalse();
    assertThat(PhoneNumbers.isSender("12345678901")).as("digits only: not alphanumeric").isFalse();
    assertThat(PhoneNumbers.isSender("Herald!")).isFalse();
  }
}
