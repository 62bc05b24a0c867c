package dev.herald.push.webpush;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebPushPayloadTest {

  @Test
  void theJsonCarriesIdTitleBodyUrlImageAndData() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("order", 42);
    data.put("note", null);
    PushMessage message =
        new PushMessage(
            "m-1",
            "Shipped",
            "Your order is on its way",
            data,
            "https://shop.example/o/42",
            "https://shop.example/box.png",
            PushPriority.HIGH,
            Duration.ofHours(1),
            "order-42");

    assertThat(new String(WebPushPayload.encode(message), UTF_8))
        .isEqualTo(
            "{\"id\":\"m-1\",\"title\":\"Shipped\",\"body\":\"Your order is on its way\","
                + "\"url\":\"https://shop.example/o/42\",\"image\":\"https://shop.example/box.png\","
                + "\"data\":{\"order\":42,\"note\":null}}");
  }

  @Test
  void absentFieldsAreLeftOutButDataIsAlwaysAnObject() {
    PushMessage message =
        new PushMessage(null, "Hi", null, null, null, null, null, Duration.ZERO, null);

    assertThat(new String(WebPushPayload.encode(message), UTF_8))
        .isEqualTo("{\"title\":\"Hi\",\"data\":{}}");
  }

  @Test
  void aMessageFitsWhenItsJsonIsAtMost3993Bytes() {
    String overhead = "{\"title\":\"\",\"data\":{}}";
    PushMessage largest = withTitle("é".repeat((3993 - overhead.length()) / 2) + "x");
    PushMessage oneTooMany = withTitle("é".repeat((3993 - overhead.length()) / 2) + "xy");

    assertThat(WebPushPayload.encode(largest)).hasSize(3993);
    assertThat(WebPushPayload.fits(largest)).isTrue();
    assertThat(WebPushPayload.encryptedLength(largest)).isEqualTo(4096);
    assertThat(WebPushPayload.fits(oneTooMany)).isFalse();
  }

  private static PushMessage withTitle(String title) {
    return new PushMessage(null, title, null, null, null, null, null, Duration.ZERO, null);
  }
}
