package dev.herald.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  final SecretBox box = new SecretBox(new byte[32]);

  @Test
  void aSealedValueOpensInItsContextAndHidesThePlaintext() {
    byte[] secret = "-----BEGIN PRIVATE KEY-----abc".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = box.seal(secret, "app1/apns");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE KEY");
    assertThat(box.open(sealed, "app1/apns")).isEqualTo(secret);
    assertThat(box.seal(secret, "app1/apns")).isNotEqualTo(sealed);
  }

  @Test
  void anotherContextOrKeyOrATamperedValueDoesNotOpen() {
    byte[] sealed = box.seal("s".getBytes(StandardCharsets.UTF_8), "app1/fcm");
    assertThatThrownBy(() -> box.open(sealed, "app2/fcm"))
        .isInstanceOf(IllegalStateException.class);
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> new SecretBox(other).open(sealed, "app1/fcm"))
        .isInstanceOf(IllegalStateException.class);
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> box.open(sealed, "app1/fcm"))
        .isInstanceOf(IllegalStateException.class);
  }
}
