package dev.herald.push.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.PushPriority;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebPushHeadersTest {

  @Test
  void ttlIsTheMessagesTtlInWholeSeconds() {
    assertThat(WebPushHeaders.ttl(Duration.ZERO)).isEqualTo("0");
    assertThat(WebPushHeaders.ttl(Duration.ofMinutes(5).plusMillis(900))).isEqualTo("300");
    assertThat(WebPushHeaders.ttl(Duration.ofDays(28))).isEqualTo("2419200");
  }

  @Test
  void urgencyFollowsThePriority() {
    assertThat(WebPushHeaders.urgency(PushPriority.HIGH)).isEqualTo("high");
    assertThat(WebPushHeaders.urgency(PushPriority.NORMAL)).isEqualTo("normal");
    assertThat(WebPushHeaders.urgency(PushPriority.LOW)).isEqualTo("low");
  }

  @Test
  void aCollapseKeyThatIsAValidTopicIsSentAsIs() {
    assertThat(WebPushHeaders.topic("order-42_status")).isEqualTo("order-42_status");
    assertThat(WebPushHeaders.topic("a".repeat(32))).isEqualTo("a".repeat(32));
  }

  @Test
  void anyOtherCollapseKeyBecomesAStable32CharacterDigest() {
    String tooLong = WebPushHeaders.topic("a".repeat(33));
    String spaces = WebPushHeaders.topic("order 42: shipped");

    assertThat(tooLong).matches("[A-Za-z0-9_-]{32}");
    assertThat(spaces).matches("[A-Za-z0-9_-]{32}");
    assertThat(WebPushHeaders.topic("order 42: shipped")).isEqualTo(spaces);
    assertThat(spaces).isNotEqualTo(WebPushHeaders.topic("order 43: shipped"));
  }

  @Test
  void noCollapseKeyMeansNoTopic() {
    assertThat(WebPushHeaders.topic(null)).isNull();
    assertThat(WebPushHeaders.topic("")).isNull();
  }
}
