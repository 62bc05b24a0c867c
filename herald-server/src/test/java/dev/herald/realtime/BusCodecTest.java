package dev.herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BusCodecTest {

  @Test
  void separatorsEscapesAndUnicodeInIdsAndBodiesSurviveARoundTrip() {
    List<BusMessage> messages =
        List.of(
            new BusMessage("app\t1", "user\nname", 1, "{\"a\":\"tab\\there\"}"),
            new BusMessage("a\\pp", "u\\t-not-a-tab", 2, "{\"b\":\"line\\nbreak \\\\ \\\"q\\\"\"}"),
            new BusMessage("ünïcode", "用户🔔", 3, "{\"title\":\"Grüße 🎉\"}"),
            new BusMessage("nul\0app", "trailing\\", 4, "\t\n\\\0"),
            new BusMessage("", "", 0, ""),
            new BusMessage("app", "u", Long.MAX_VALUE, null));

    List<String> payloads = BusCodec.pack(messages, 8_000);

    assertThat(payloads).hasSize(1);
    assertThat(BusCodec.unpack(payloads.get(0))).containsExactlyElementsOf(messages);
  }

  @Test
  void aLineHoldsOneMessageAndRawTabsOnlySeparateFields() {
    String line = BusCodec.encode(new BusMessage("a\tb", "c\nd", 7, "{\"x\":\"\\\\\"}"));

    assertThat(line).doesNotContain("\n");
    assertThat(line.split("\t")).containsExactly("a\\tb", "c\\nd", "7", "{\"x\":\"\\\\\\\\\"}");
    assertThat(BusCodec.encode(new BusMessage("a", "b", 9, null))).isEqualTo("a\tb\t9");
  }

  @Test
  void manyMessagesArePackedIntoFewPayloadsThatEachFitTheLimitInUtf8Bytes() {
    List<BusMessage> messages =
        IntStream.range(0, 1_000)
            .mapToObj(i -> new BusMessage("app", "ü" + i, i, "{\"title\":\"Grüße €" + i + "\"}"))
            .toList();

    List<String> payloads = BusCodec.pack(messages, 7_999);

    assertThat(payloads).hasSizeBetween(4, 8);
    List<BusMessage> back = new ArrayList<>();
    for (String p : payloads) {
      assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(7_999);
      back.addAll(BusCodec.unpack(p));
    }
    assertThat(back).containsExactlyElementsOf(messages);
  }

  @Test
  void aMessageTooBigForAPayloadTravelsWithoutItsBodyBetweenTheOthers() {
    BusMessage before = new BusMessage("app", "u1", 1, "{}");
    BusMessage big = new BusMessage("app", "u1", 2, "\"" + "€".repeat(3_000) + "\"");
    BusMessage after = new BusMessage("app", "u1", 3, "{}");

    List<String> payloads = BusCodec.pack(List.of(before, big, after), 7_999);

    assertThat(payloads.stream().flatMap(p -> BusCodec.unpack(p).stream()))
        .containsExactly(before, big.withoutBody(), after);
  }

  @Test
  void theLimitCountsBytesNotCharacters() {
    // 3,000 euro signs are 3,000 characters but 9,000 bytes.
    assertThat(BusCodec.utf8Length("€".repeat(3_000))).isEqualTo(9_000);
    assertThat(BusCodec.utf8Length("a🔔é"))
        .isEqualTo("a🔔é".getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void payloadsOfAnotherFormatAndMalformedLinesAreSkipped() {
    assertThat(BusCodec.unpack("h2\napp\tu\t1")).isEmpty();
    assertThat(
            BusCodec.unpack(
                "h1\napp\tu\tnot-a-number\nonly-one-field\napp\tu\t5\t{}\napp\tu\t6\tbad\\q"))
        .containsExactly(new BusMessage("app", "u", 5, "{}"));
  }

  @Test
  void nothingToSendMakesNoPayload() {
    assertThat(BusCodec.pack(List.of(), 7_999)).isEmpty();
  }
}
