package dev.herald.push.fcm;

import static dev.herald.push.MessageFixture.aDataOnlyMessage;
import static dev.herald.push.MessageFixture.aMessage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.MessageFixture;
import dev.herald.push.PushPriority;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FcmMessagesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static JsonNode map(MessageFixture message) {
    return FcmMessages.toMessage("token-1", message.build(), NOW);
  }

  private static String at(JsonNode node, String dottedPath) {
    for (String part : dottedPath.split("\\.")) node = node.path(part);
    return node.isMissingNode() ? null : node.asString();
  }

  @Test
  void theRequestWrapsOneMessageForTheToken() {
    JsonNode request = FcmMessages.toRequest("token-1", aMessage().build(), NOW);
    assertThat(request.propertyNames()).containsExactly("message");
    assertThat(at(request, "message.token")).isEqualTo("token-1");
  }

  @Test
  void titleBodyAndImageAreTheNotification() {
    JsonNode message =
        map(aMessage().titled("Sale").saying("50% off").showing("https://cdn.example/a.png"));
    assertThat(at(message, "notification.title")).isEqualTo("Sale");
    assertThat(at(message, "notification.body")).isEqualTo("50% off");
    assertThat(at(message, "notification.image")).isEqualTo("https://cdn.example/a.png");
  }

  @Test
  void aMessageWithoutTitleAndBodyHasNoNotification() {
    assertThat(map(aDataOnlyMessage().with("k", "v")).has("notification")).isFalse();
  }

  @Test
  void dataValuesBecomeStringsAndNullsAreLeftOut() {
    Map<String, Object> nested = Map.of("a", 1);
    JsonNode data =
        map(aMessage()
                .with("text", "hi")
                .with("count", 3)
                .with("ratio", 0.5)
                .with("flag", true)
                .with("list", List.of(1, "two"))
                .with("object", nested)
                .with("nothing", null))
            .path("data");
    assertThat(at(data, "text")).isEqualTo("hi");
    assertThat(at(data, "count")).isEqualTo("3");
    assertThat(at(data, "ratio")).isEqualTo("0.5");
    assertThat(at(data, "flag")).isEqualTo("true");
    assertThat(at(data, "list")).isEqualTo("[1,\"two\"]");
    assertThat(at(data, "object")).isEqualTo("{\"a\":1}");
    assertThat(data.has("nothing")).isFalse();
    data.properties().forEach(e -> assertThat(e.getValue().isString()).isTrue());
  }

  @Test
  void theUrlIsAlsoDataUnlessDataHasAUrl() {
    assertThat(at(map(aMessage().linkingTo("https://a.example/x")), "data.url"))
        .isEqualTo("https://a.example/x");
    assertThat(
            at(map(aMessage().linkingTo("https://a.example/x").with("url", "app://x")), "data.url"))
        .isEqualTo("app://x");
  }

  @Test
  void aMessageWithoutDataHasNoDataObject() {
    assertThat(map(aMessage()).has("data")).isFalse();
  }

  @Test
  void highAndNormalPriorityAreAndroidHighAndLowIsNormal() {
    assertThat(at(map(aMessage().priority(PushPriority.HIGH)), "android.priority"))
        .isEqualTo("high");
    assertThat(at(map(aMessage().priority(PushPriority.NORMAL)), "android.priority"))
        .isEqualTo("high");
    assertThat(at(map(aMessage().priority(PushPriority.LOW)), "android.priority"))
        .isEqualTo("normal");
  }

  @Test
  void theTtlIsAndroidSecondsRoundedUpAndCappedAtFourWeeks() {
    assertThat(at(map(aMessage().keptFor(Duration.ofMinutes(5))), "android.ttl")).isEqualTo("300s");
    assertThat(at(map(aMessage().keptFor(Duration.ofMillis(1_500))), "android.ttl"))
        .isEqualTo("2s");
    assertThat(at(map(aMessage().keptFor(Duration.ZERO)), "android.ttl")).isEqualTo("0s");
    assertThat(at(map(aMessage().keptFor(Duration.ofDays(90))), "android.ttl"))
        .isEqualTo("2419200s");
  }

  @Test
  void theCollapseKeyGoesToEveryPlatformThatTakesIt() {
    JsonNode message = map(aMessage().collapsing("score_update"));
    assertThat(at(message, "android.collapse_key")).isEqualTo("score_update");
    assertThat(at(message, "apns.headers.apns-collapse-id")).isEqualTo("score_update");
    assertThat(at(message, "webpush.headers.Topic")).isEqualTo("score_update");
  }

  @Test
  void aCollapseKeyAPlatformWouldRefuseIsLeftOutForThatPlatform() {
    JsonNode spaced = map(aMessage().collapsing("score update"));
    assertThat(at(spaced, "webpush.headers.Topic")).isNull();
    assertThat(at(spaced, "android.collapse_key")).isEqualTo("score update");
    JsonNode long65 = map(aMessage().collapsing("k".repeat(65)));
    assertThat(at(long65, "apns.headers.apns-collapse-id")).isNull();
    assertThat(at(long65, "webpush.headers.Topic")).isNull();
  }

  @Test
  void withoutACollapseKeyNoPlatformGetsOne() {
    JsonNode message = map(aMessage());
    assertThat(at(message, "android.collapse_key")).isNull();
    assertThat(at(message, "apns.headers.apns-collapse-id")).isNull();
    assertThat(at(message, "webpush.headers.Topic")).isNull();
  }

  @Test
  void apnsPriorityIsTenForAlertsAndFiveForLowOrBackground() {
    assertThat(at(map(aMessage().priority(PushPriority.HIGH)), "apns.headers.apns-priority"))
        .isEqualTo("10");
    assertThat(at(map(aMessage().priority(PushPriority.NORMAL)), "apns.headers.apns-priority"))
        .isEqualTo("10");
    assertThat(at(map(aMessage().priority(PushPriority.LOW)), "apns.headers.apns-priority"))
        .isEqualTo("5");
    assertThat(
            at(map(aDataOnlyMessage().priority(PushPriority.HIGH)), "apns.headers.apns-priority"))
        .isEqualTo("5");
  }

  @Test
  void apnsExpirationIsNowPlusTtlOrZeroForDeliverNow() {
    assertThat(at(map(aMessage().keptFor(Duration.ofHours(1))), "apns.headers.apns-expiration"))
        .isEqualTo(Long.toString(NOW.getEpochSecond() + 3600));
    assertThat(at(map(aMessage().keptFor(Duration.ZERO)), "apns.headers.apns-expiration"))
        .isEqualTo("0");
  }

  @Test
  void alertsAndBackgroundPushesSayWhichTheyAre() {
    JsonNode alert = map(aMessage());
    assertThat(at(alert, "apns.headers.apns-push-type")).isEqualTo("alert");
    assertThat(alert.path("apns").path("payload").path("aps").has("content-available")).isFalse();
    JsonNode background = map(aDataOnlyMessage());
    assertThat(at(background, "apns.headers.apns-push-type")).isEqualTo("background");
    assertThat(at(background, "apns.payload.aps.content-available")).isEqualTo("1");
  }

  @Test
  void anImageMakesTheApnsAlertMutableAndNamesTheImage() {
    JsonNode message = map(aMessage().showing("https://cdn.example/a.png"));
    assertThat(at(message, "apns.payload.aps.mutable-content")).isEqualTo("1");
    assertThat(at(message, "apns.fcm_options.image")).isEqualTo("https://cdn.example/a.png");
    assertThat(map(aMessage()).path("apns").path("payload").path("aps").has("mutable-content"))
        .isFalse();
  }

  @Test
  void webPushGetsTtlAndUrgencyFromPriority() {
    assertThat(at(map(aMessage().keptFor(Duration.ofMinutes(2))), "webpush.headers.TTL"))
        .isEqualTo("120");
    assertThat(at(map(aMessage().priority(PushPriority.HIGH)), "webpush.headers.Urgency"))
        .isEqualTo("high");
    assertThat(at(map(aMessage().priority(PushPriority.NORMAL)), "webpush.headers.Urgency"))
        .isEqualTo("normal");
    assertThat(at(map(aMessage().priority(PushPriority.LOW)), "webpush.headers.Urgency"))
        .isEqualTo("low");
  }

  @Test
  void anHttpsUrlIsTheWebPushLinkAndOthersAreNot() {
    assertThat(at(map(aMessage().linkingTo("https://a.example/x")), "webpush.fcm_options.link"))
        .isEqualTo("https://a.example/x");
    assertThat(map(aMessage().linkingTo("http://a.example/x")).path("webpush").has("fcm_options"))
        .isFalse();
    assertThat(map(aMessage()).path("webpush").has("fcm_options")).isFalse();
  }

  @Test
  void theMappingIsPure() {
    assertThat(map(aMessage().with("a", 1))).isEqualTo(map(aMessage().with("a", 1)));
  }

  @Test
  void aSmallMessageFitsAndAFatOneDoesNot() {
    assertThat(FcmMessages.fits(aMessage().build())).isTrue();
    assertThat(FcmMessages.fits(aMessage().with("blob", "x".repeat(3_900)).build())).isTrue();
    assertThat(FcmMessages.fits(aMessage().with("blob", "x".repeat(4_100)).build())).isFalse();
  }

  @Test
  void thePayloadSizeCountsNotificationAndDataInUtf8() {
    int ascii = FcmMessages.payloadSize(aMessage().titled("e").build());
    int accented = FcmMessages.payloadSize(aMessage().titled("é").build());
    assertThat(accented).isEqualTo(ascii + 1);
    assertThat(FcmMessages.payloadSize(aDataOnlyMessage().build()))
        .isEqualTo("{\"data\":{}}".length());
  }
}
