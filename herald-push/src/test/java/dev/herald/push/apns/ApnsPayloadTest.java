package dev.herald.push.apns;

import static dev.herald.push.apns.Messages.aMessage;
import static dev.herald.push.apns.Messages.aSilentMessage;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApnsPayloadTest {
  @Test
  void anAlertCarriesTitleBodyAndTheDefaultSound() {
    assertThat(json(aMessage().titled("Hi").saying("There").build()))
        .isEqualTo(
            "{\"aps\":{\"alert\":{\"title\":\"Hi\",\"body\":\"There\"},\"sound\":\"default\"}}");
  }

  @Test
  void anAlertWithOnlyABodyHasNoTitle() {
    assertThat(json(aMessage().titled(null).saying("There").build()))
        .isEqualTo("{\"aps\":{\"alert\":{\"body\":\"There\"},\"sound\":\"default\"}}");
  }

  @Test
  void anImageAsksForMutableContentAndTravelsBesideAps() {
    assertThat(json(aMessage().titled("Hi").saying(null).withImage("https://x.test/a.png").build()))
        .isEqualTo(
            "{\"aps\":{\"alert\":{\"title\":\"Hi\"},\"sound\":\"default\",\"mutable-content\":1},"
                + "\"image\":\"https://x.test/a.png\"}");
  }

  @Test
  void dataAndUrlSitAtTheTopLevel() {
    String json =
        json(
            aMessage()
                .titled("Hi")
                .saying(null)
                .withData("order", Map.of("id", 42))
                .withData("flag", true)
                .linkingTo("https://x.test/o/42")
                .build());
    assertThat(json)
        .isEqualTo(
            "{\"aps\":{\"alert\":{\"title\":\"Hi\"},\"sound\":\"default\"},"
                + "\"order\":{\"id\":42},\"flag\":true,\"url\":\"https://x.test/o/42\"}");
  }

  @Test
  void aMessageWithoutTitleOrBodyIsABackgroundPush() {
    assertThat(json(aSilentMessage().withData("sync", "inbox").build()))
        .isEqualTo("{\"aps\":{\"content-available\":1},\"sync\":\"inbox\"}");
    assertThat(ApnsPayload.isAlert(aSilentMessage().build())).isFalse();
  }

  @Test
  void dataCannotReplaceAps() {
    assertThat(json(aSilentMessage().withData("aps", Map.of("badge", 9)).build()))
        .isEqualTo("{\"aps\":{\"content-available\":1}}");
  }

  @Test
  void theMessageUrlWinsOverADataKeyOfTheSameName() {
    assertThat(json(aSilentMessage().withData("url", "data").linkingTo("message").build()))
        .isEqualTo("{\"aps\":{\"content-available\":1},\"url\":\"message\"}");
  }

  @Test
  void dataIsWrittenAsJacksonWouldWriteIt() {
    Map<String, Object> nested = new java.util.LinkedHashMap<>();
    nested.put("quote\"back\\slash", "line\nbreak\ttab\u0001bell");
    nested.put("unicode", "Grüße 👋 \u2028");
    nested.put("none", null);
    nested.put("list", java.util.List.of(1, 2L, "three", false, java.util.List.of()));
    nested.put("double", 2.5);
    nested.put("short", (short) 7);
    nested.put("huge", new java.math.BigInteger("123456789012345678901234567890"));
    dev.herald.push.PushMessage message = aSilentMessage().withData("nested", nested).build();

    Map<String, Object> expected = new java.util.LinkedHashMap<>();
    expected.put("aps", Map.of("content-available", 1));
    expected.put("nested", nested);
    assertThat(json(message))
        .isEqualTo(
            tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(expected));
    assertThat(json(aSilentMessage().withData("big", new java.math.BigDecimal("1.50")).build()))
        .isEqualTo("{\"aps\":{\"content-available\":1},\"big\":1.50}");
  }

  @Test
  void fitsCountsBytesNotCharacters() {
    // {"aps":{"alert":{"body":"…"},"sound":"default"}} is 47 bytes around the body.
    String ascii = "a".repeat(4096 - 47);
    assertThat(ApnsPayload.toJson(aMessage().titled(null).saying(ascii).build())).hasSize(4096);
    assertThat(ApnsPayload.fits(aMessage().titled(null).saying(ascii).build())).isTrue();
    assertThat(ApnsPayload.fits(aMessage().titled(null).saying(ascii + "a").build())).isFalse();
    // 'é' is two bytes in UTF-8: half as many characters fill the same payload.
    String accented = "é".repeat((4096 - 47) / 2 + 1);
    assertThat(ApnsPayload.fits(aMessage().titled(null).saying(accented).build())).isFalse();
  }

  private static String json(dev.herald.push.PushMessage message) {
    return new String(ApnsPayload.toJson(message), StandardCharsets.UTF_8);
  }
}
