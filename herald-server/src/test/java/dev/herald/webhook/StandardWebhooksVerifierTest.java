package dev.herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The test's verifier, and Herald's signer, against the example of the Standard Webhooks
 * specification; then what the verifier must refuse.
 */
class StandardWebhooksVerifierTest {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long TIMESTAMP = 1614265330;
  static final String BODY = "{\"test\": 2432232314}";
  static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  static final Instant THEN = Instant.ofEpochSecond(TIMESTAMP);

  final StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(SECRET);

  @Test
  void theSpecificationsExampleVerifies() throws Exception {
    verifier.verify(ID, String.valueOf(TIMESTAMP), SIGNATURE, BODY, THEN);
  }

  @Test
  void heraldSignsTheSpecificationsExampleAlike() {
    SigningSecret secret = SigningSecret.parse(SECRET).orElseThrow();
    assertThat(Signatures.sign(secret, ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
  }

  @Test
  void anyOfSeveralSignaturesMayMatch() {
    String other = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    assertThat(
            verifier.verifies(ID, String.valueOf(TIMESTAMP), other + " " + SIGNATURE, BODY, THEN))
        .isTrue();
    assertThat(verifier.verifies(ID, String.valueOf(TIMESTAMP), other, BODY, THEN)).isFalse();
  }

  @Test
  void aChangedBodyIdOrTimestampDoesNotVerify() {
    String ts = String.valueOf(TIMESTAMP);
    assertThat(verifier.verifies(ID, ts, SIGNATURE, "{\"test\": 2432232315}", THEN)).isFalse();
    assertThat(verifier.verifies("msg_other", ts, SIGNATURE, BODY, THEN)).isFalse();
    assertThat(verifier.verifies(ID, String.valueOf(TIMESTAMP + 1), SIGNATURE, BODY, THEN))
        .isFalse();
  }

  @Test
  void anotherSecretDoesNotVerify() {
    var other = new StandardWebhooksVerifier(SigningSecret.generate().text());
    assertThat(other.verifies(ID, String.valueOf(TIMESTAMP), SIGNATURE, BODY, THEN)).isFalse();
  }

  @Test
  void aStaleOrFutureTimestampIsRefused() {
    String ts = String.valueOf(TIMESTAMP);
    assertThatThrownBy(() -> verifier.verify(ID, ts, SIGNATURE, BODY, THEN.plusSeconds(301)))
        .hasMessageContaining("tolerance");
    assertThatThrownBy(() -> verifier.verify(ID, ts, SIGNATURE, BODY, THEN.minusSeconds(301)))
        .hasMessageContaining("tolerance");
    assertThat(verifier.verifies(ID, ts, SIGNATURE, BODY, THEN.plusSeconds(299))).isTrue();
  }

  @Test
  void missingHeadersAndOtherVersionsAreRefused() {
    String ts = String.valueOf(TIMESTAMP);
    assertThat(verifier.verifies(null, ts, SIGNATURE, BODY, THEN)).isFalse();
    assertThat(verifier.verifies(ID, null, SIGNATURE, BODY, THEN)).isFalse();
    assertThat(verifier.verifies(ID, ts, null, BODY, THEN)).isFalse();
    assertThat(verifier.verifies(ID, ts, SIGNATURE.replace("v1,", "v2,"), BODY, THEN)).isFalse();
    assertThat(verifier.verifies(ID, "yesterday", SIGNATURE, BODY, THEN)).isFalse();
  }

  @Test
  void generatedSecretsHaveTheStandardShape() {
    SigningSecret s = SigningSecret.generate();
    assertThat(s.text()).startsWith("whsec_");
    assertThat(s.key()).hasSize(32);
    assertThat(SigningSecret.parse(s.text())).contains(s);
    assertThat(SigningSecret.parse("whsec_" + "QUJD")).isEmpty(); // 3 bytes
    assertThat(SigningSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isEmpty(); // no prefix
    assertThat(SigningSecret.parse("whsec_not base64!")).isEmpty();
    assertThat(s.toString()).doesNotContain(s.text());
  }
}
