package dev.herald.push.expo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ExpoReceiptsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ExpoReceipt receipt(String json) {
    return ExpoReceipts.fromReceipt(JSON.readTree(json));
  }

  @Test
  void okIsDelivered() {
    assertThat(receipt("{\"status\":\"ok\"}")).isEqualTo(new ExpoReceipt.Delivered());
  }

  @Test
  void deviceNotRegisteredIsATokenToForget() {
    assertThat(
            receipt(
                "{\"status\":\"error\",\"message\":\"gone\",\"details\":{\"error\":\"DeviceNotRegistered\"}}"))
        .isEqualTo(new ExpoReceipt.TokenInvalid("DeviceNotRegistered"));
  }

  @Test
  void otherErrorsFailWithExposCodeAndMessage() {
    assertThat(
            receipt(
                "{\"status\":\"error\",\"message\":\"too"
                    + " big\",\"details\":{\"error\":\"MessageTooBig\"}}"))
        .isEqualTo(new ExpoReceipt.Failed("MessageTooBig: too big"));
    assertThat(
            receipt(
                "{\"status\":\"error\",\"message\":\"creds\",\"details\":{\"error\":\"InvalidCredentials\"}}"))
        .isEqualTo(new ExpoReceipt.Failed("InvalidCredentials: creds"));
    assertThat(receipt("{\"status\":\"error\",\"message\":\"hm\"}"))
        .isEqualTo(new ExpoReceipt.Failed("ExpoError: hm"));
  }

  @Test
  void theAnswerMapsEveryReceiptByTicketId() {
    Map<String, ExpoReceipt> receipts =
        ExpoReceipts.fromAnswer(
            ("{\"data\":{\"a\":{\"status\":\"ok\"},"
                    + "\"b\":{\"status\":\"error\",\"details\":{\"error\":\"DeviceNotRegistered\"}}}}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(receipts)
        .containsExactly(
            Map.entry("a", new ExpoReceipt.Delivered()),
            Map.entry("b", new ExpoReceipt.TokenInvalid("DeviceNotRegistered")));
  }

  @Test
  void anAnswerWithoutDataHasNoReceipts() {
    assertThat(ExpoReceipts.fromAnswer("{}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(ExpoReceipts.fromAnswer(new byte[0])).isEmpty();
  }
}
