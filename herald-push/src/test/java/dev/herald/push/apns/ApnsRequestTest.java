package dev.herald.push.apns;

import static dev.herald.push.apns.Messages.aMessage;
import static dev.herald.push.apns.Messages.aSilentMessage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.PushPriority;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApnsRequestTest {
  private static final String TOKEN = "ab".repeat(32);
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  @Test
  void anAlertIsPushTypeAlert() {
    assertThat(request(aMessage().build()).pushType()).isEqualTo("alert");
  }

  @Test
  void aMessageWithoutTitleOrBodyIsPushTypeBackground() {
    assertThat(request(aSilentMessage().build()).pushType()).isEqualTo("background");
  }

  @Test
  void highAndNormalAlertsGoAtPriorityTenAndLowAtFive() {
    assertThat(request(aMessage().at(PushPriority.HIGH).build()).priority()).isEqualTo(10);
    assertThat(request(aMessage().at(PushPriority.NORMAL).build()).priority()).isEqualTo(10);
    assertThat(request(aMessage().at(PushPriority.LOW).build()).priority()).isEqualTo(5);
  }

  @Test
  void backgroundPushesGoAtPriorityFiveWhateverTheLane() {
    assertThat(request(aSilentMessage().at(PushPriority.HIGH).build()).priority()).isEqualTo(5);
  }

  @Test
  void expirationIsNowPlusTtlInEpochSeconds() {
    assertThat(request(aMessage().keptFor(Duration.ofHours(2)).build()).expiration())
        .isEqualTo(NOW.getEpochSecond() + 7200);
  }

  @Test
  void aZeroTtlMeansDeliverNowOrNeverWhichApnsSpellsZero() {
    assertThat(request(aMessage().keptFor(Duration.ZERO).build()).expiration()).isZero();
  }

  @Test
  void theCollapseKeyIsTheCollapseId() {
    assertThat(request(aMessage().collapsingAs("score").build()).collapseId()).isEqualTo("score");
    assertThat(request(aMessage().build()).collapseId()).isNull();
  }

  @Test
  void aUuidMessageIdIsTheApnsId() {
    String id = "123E4567-E89B-12D3-A456-426614174000";
    assertThat(request(aMessage().withId(id).build()).apnsId()).isEqualTo(id.toLowerCase());
  }

  @Test
  void anAlmostUuidIsNotTakenAsOne() {
    String braced = "{123e4567-e89b-12d3-a456-426614174000}";
    assertThat(request(aMessage().withId(braced).build()).apnsId())
        .isEqualTo(java.util.UUID.nameUUIDFromBytes(braced.getBytes()).toString());
    assertThat(ApnsRequest.isCanonicalUuid("123e4567-e89b-12d3-a456-42661417400g")).isFalse();
    assertThat(ApnsRequest.isCanonicalUuid("123e4567ae89b-12d3-a456-426614174000")).isFalse();
  }

  @Test
  void anyOtherMessageIdGivesTheSameNameBasedUuidEveryTime() {
    String first = request(aMessage().withId("delivery-42").build()).apnsId();
    assertThat(first)
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(request(aMessage().withId("delivery-42").build()).apnsId()).isEqualTo(first);
    assertThat(request(aMessage().withId("delivery-43").build()).apnsId()).isNotEqualTo(first);
  }

  @Test
  void aMessageWithoutIdLeavesTheApnsIdToApns() {
    assertThat(request(aMessage().withId(null).build()).apnsId()).isNull();
  }

  @Test
  void thePathNamesTheDeviceToken() {
    assertThat(request(aMessage().build()).path()).isEqualTo("/3/device/" + TOKEN);
  }

  @Test
  void aWellFormedRequestNeedsNoRefusal() {
    assertThat(request(aMessage().collapsingAs("c".repeat(64)).build()).refusal()).isNull();
  }

  @Test
  void whatApnsWouldRefuseIsRefusedBeforeSending() {
    assertThat(ApnsRequest.of("not-hex", aMessage().build(), NOW).refusal())
        .isEqualTo("BadDeviceToken");
    assertThat(ApnsRequest.of("ab".repeat(31), aMessage().build(), NOW).refusal())
        .isEqualTo("BadDeviceToken");
    // Unicode digits are digits to Character.digit, not to APNs.
    assertThat(ApnsRequest.of("\u0663".repeat(64), aMessage().build(), NOW).refusal())
        .isEqualTo("BadDeviceToken");
    assertThat(request(aMessage().saying("x".repeat(5000)).build()).refusal())
        .isEqualTo("PayloadTooLarge");
    assertThat(request(aMessage().collapsingAs("c".repeat(65)).build()).refusal())
        .isEqualTo("BadCollapseId");
    // Header values are written as they are: nothing that could split or corrupt a header.
    assertThat(request(aMessage().collapsingAs("a\r\nb").build()).refusal())
        .isEqualTo("BadCollapseId");
    assertThat(request(aMessage().collapsingAs(" padded").build()).refusal())
        .isEqualTo("BadCollapseId");
  }

  private static ApnsRequest request(dev.herald.push.PushMessage message) {
    return ApnsRequest.of(TOKEN, message, NOW);
  }
}
