package dev.herald.push.expo;

import static dev.herald.push.MessageFixture.aMessage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.MessageFixture;
import dev.herald.push.PushPriority;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ExpoMessagesTest {
  private static final String TOKEN = "ExponentPushToken[abc]";

  private static JsonNode map(MessageFixture message) {
    return ExpoMessages.toMessage(new ExpoPush(TOKEN, message.build()));
  }

  @Test
  void toTitleAndBodyAreAsGiven() {
    JsonNode message = map(aMessage().titled("Hi").saying("there"));
    assertThat(message.path("to").asString()).isEqualTo(TOKEN);
    assertThat(message.path("title").asString()).isEqualTo("Hi");
    assertThat(message.path("body").asString()).isEqualTo("there");
  }

  @Test
  void absentTitleAndBodyAreLeftOut() {
    JsonNode message = map(aMessage().titled(null).saying(null));
    assertThat(message.has("title")).isFalse();
    assertThat(message.has("body")).isFalse();
  }

  @Test
  void dataKeepsItsJsonTypes() {
    JsonNode data =
        map(aMessage()
                .with("n", 3)
                .with("flag", true)
                .with("list", List.of(1, 2))
                .with("none", null))
            .path("data");
    assertThat(data.path("n").isNumber()).isTrue();
    assertThat(data.path("flag").isBoolean()).isTrue();
    assertThat(data.path("list").isArray()).isTrue();
    assertThat(data.path("none").isNull()).isTrue();
  }

  @Test
  void theUrlGoesIntoDataUnlessDataHasOne() {
    assertThat(map(aMessage().linkingTo("https://a.example/x")).path("data").path("url").asString())
        .isEqualTo("https://a.example/x");
    assertThat(
            map(aMessage().linkingTo("https://a.example/x").with("url", "app://x"))
                .path("data")
                .path("url")
                .asString())
        .isEqualTo("app://x");
    assertThat(map(aMessage()).has("data")).isFalse();
  }

  @Test
  void ttlIsWholeSecondsRoundedUp() {
    assertThat(map(aMessage().keptFor(Duration.ofMinutes(2))).path("ttl").asLong()).isEqualTo(120);
    assertThat(map(aMessage().keptFor(Duration.ofMillis(200))).path("ttl").asLong()).isEqualTo(1);
    assertThat(map(aMessage().keptFor(Duration.ZERO)).path("ttl").asLong()).isZero();
  }

  @Test
  void lanesMapToExpoPriorities() {
    assertThat(map(aMessage().priority(PushPriority.HIGH)).path("priority").asString())
        .isEqualTo("high");
    assertThat(map(aMessage().priority(PushPriority.NORMAL)).path("priority").asString())
        .isEqualTo("high");
    assertThat(map(aMessage().priority(PushPriority.LOW)).path("priority").asString())
        .isEqualTo("normal");
  }

  @Test
  void theChannelIsSentOnlyWhenSet() {
    assertThat(
            ExpoMessages.toMessage(new ExpoPush(TOKEN, aMessage().build(), "news"))
                .path("channelId")
                .asString())
        .isEqualTo("news");
    assertThat(map(aMessage()).has("channelId")).isFalse();
  }

  @Test
  void collapseKeyImageAndIdAreNotSent() {
    JsonNode message =
        map(aMessage().collapsing("k").showing("https://cdn.example/i.png").id("m-1"));
    assertThat(message.propertyNames())
        .containsExactlyInAnyOrder("to", "title", "body", "ttl", "priority");
  }

  @Test
  void aBatchIsAJsonArrayInOrder() {
    byte[] body =
        ExpoMessages.toRequestBytes(
            List.of(
                new ExpoPush("ExponentPushToken[a]", aMessage().build()),
                new ExpoPush("ExponentPushToken[b]", aMessage().build())));
    JsonNode array = JsonMapper.builder().build().readTree(body);
    assertThat(array.isArray()).isTrue();
    assertThat(array.get(1).path("to").asString()).isEqualTo("ExponentPushToken[b]");
  }

  @Test
  void batchesAreConsecutiveSlicesOfAtMostTheSize() {
    List<Integer> items = IntStream.range(0, 250).boxed().toList();
    List<List<Integer>> batches = ExpoMessages.batches(items, 100);
    assertThat(batches).extracting(List::size).containsExactly(100, 100, 50);
    assertThat(batches.get(2).getFirst()).isEqualTo(200);
    assertThat(ExpoMessages.batches(List.of(), 100)).isEmpty();
    assertThat(ExpoMessages.batches(items.subList(0, 100), 100)).hasSize(1);
  }

  @Test
  void aMessageFitsUpTo4096Bytes() {
    ExpoPush small = new ExpoPush(TOKEN, aMessage().build());
    int overhead = ExpoMessages.payloadSize(new ExpoPush(TOKEN, aMessage().with("b", "").build()));
    ExpoPush exact = new ExpoPush(TOKEN, aMessage().with("b", "x".repeat(4096 - overhead)).build());
    ExpoPush over = new ExpoPush(TOKEN, aMessage().with("b", "x".repeat(4097 - overhead)).build());
    assertThat(ExpoMessages.fits(small)).isTrue();
    assertThat(ExpoMessages.payloadSize(exact)).isEqualTo(4096);
    assertThat(ExpoMessages.fits(exact)).isTrue();
    assertThat(ExpoMessages.fits(over)).isFalse();
  }
}
