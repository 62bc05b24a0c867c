package dev.herald.push.webpush;

import static dev.herald.push.webpush.Rfc8291Vector.b64;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.testkit.webpush.MockPushService;
import dev.herald.testkit.webpush.MockSubscription;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadEncryptionTest {
  private static final MockPushService browser = MockPushService.start();

  @AfterAll
  static void close() {
    browser.close();
  }

  /** The JDK path always; the ACCP path where its native library loads (linux-x86_64). */
  static Stream<CryptoSuite> suites() {
    return Stream.concat(Stream.of(CryptoSuite.jdk()), CryptoSuite.corretto().stream());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void reproducesRfc8291AppendixAByteForByte(CryptoSuite crypto) throws Exception {
    PayloadEncryption encryption = new PayloadEncryption(crypto, new SecureRandom());

    byte[] body =
        encryption.encrypt(
            Rfc8291Vector.PLAINTEXT,
            b64(Rfc8291Vector.UA_PUBLIC),
            b64(Rfc8291Vector.AUTH),
            b64(Rfc8291Vector.SALT),
            Rfc8291Vector.senderKeys(crypto));

    assertThat(P256.base64Url(body)).isEqualTo(Rfc8291Vector.BODY);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aBrowserDecryptsWhatItEncrypts(CryptoSuite crypto) throws Exception {
    MockSubscription subscription = browser.subscribe();
    byte[] plaintext = "{\"title\":\"Hello\",\"body\":\"é ✓\"}".getBytes(UTF_8);

    byte[] body = encrypt(crypto, subscription, plaintext);

    assertThat(subscription.decrypt(body)).isEqualTo(plaintext);
  }

  @Test
  void theAccpPathIsUsedWhereItsNativeLibraryLoads() {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux")
            && "amd64".equals(System.getProperty("os.arch")));

    assertThat(CryptoSuite.corretto()).isPresent();
    assertThat(CryptoSuite.fastest().name()).startsWith("Amazon Corretto Crypto Provider");
  }

  @Test
  void theJdkPathUsesTheJdkProviders() {
    assertThat(CryptoSuite.jdk().name()).isEqualTo("JDK (SunEC, SunJCE)");
  }

  @Test
  void everyMessageHasItsOwnSenderKeyAndSalt() throws Exception {
    MockSubscription subscription = browser.subscribe();
    byte[] plaintext = "same".getBytes(UTF_8);

    byte[] first = encrypt(CryptoSuite.fastest(), subscription, plaintext);
    byte[] second = encrypt(CryptoSuite.fastest(), subscription, plaintext);

    assertThat(Arrays.copyOfRange(first, 0, 16)).isNotEqualTo(Arrays.copyOfRange(second, 0, 16));
    assertThat(Arrays.copyOfRange(first, 21, 86)).isNotEqualTo(Arrays.copyOfRange(second, 21, 86));
  }

  @Test
  void theHeaderCarriesSaltRecordSizeAndTheSenderKey() throws Exception {
    byte[] body = encrypt(CryptoSuite.fastest(), browser.subscribe(), new byte[10]);

    ByteBuffer header = ByteBuffer.wrap(body, 16, 5);
    assertThat(header.getInt()).isEqualTo(4096);
    assertThat(header.get()).isEqualTo((byte) 65);
    assertThat(body[21]).isEqualTo((byte) 4);
    assertThat(body).hasSize(86 + 10 + 1 + 16);
  }

  @Test
  void thePlaintextMayFillA4096ByteBodyButNoMore() throws Exception {
    MockSubscription subscription = browser.subscribe();
    CryptoSuite crypto = CryptoSuite.fastest();

    byte[] largest = encrypt(crypto, subscription, new byte[3993]);

    assertThat(largest).hasSize(4096);
    assertThat(subscription.decrypt(largest)).hasSize(3993);
    assertThatThrownBy(() -> encrypt(crypto, subscription, new byte[3994]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3994 bytes exceeds 3993");
  }

  private static byte[] encrypt(CryptoSuite crypto, MockSubscription to, byte[] plaintext)
      throws Exception {
    return new PayloadEncryption(crypto, new SecureRandom())
        .encrypt(
            plaintext,
            Base64.getUrlDecoder().decode(to.p256dh()),
            Base64.getUrlDecoder().decode(to.auth()));
  }
}
