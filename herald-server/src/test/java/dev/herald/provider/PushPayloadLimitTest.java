package dev.herald.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushPayloadLimitTest {
  @Test
  void contentTooLargeForPushIsRefusedWhenAcceptedButFineForTheInbox() {
    try (TestServer server = TestServer.start()) {
      String big = "x".repeat(5_000);
      var push =
          server
              .api()
              .post(
                  "/v1/notifications",
                  Map.of(
                      "to",
                      Map.of("subscribers", List.of("u")),
                      "channels",
                      List.of("push"),
                      "title",
                      "t",
                      "body",
                      big));
      assertThat(push.status()).as(push.body()).isEqualTo(413);
      assertThat(push.json().get("code").asString()).isEqualTo("payload_too_large");
      assertThat(push.json().get("errors").get(0).get("field").asString()).isEqualTo("body");
      var inApp =
          server
              .api()
              .post(
                  "/v1/notifications",
                  Map.of(
                      "to",
                      Map.of("subscribers", List.of("u")),
                      "channels",
                      List.of("in_app"),
                      "title",
                      "t",
                      "body",
                      big));
      assertThat(inApp.status()).isEqualTo(202);
      var small =
          server
              .api()
              .post(
                  "/v1/notifications",
                  Map.of(
                      "to",
                      Map.of("subscribers", List.of("u")),
                      "channels",
                      List.of("push"),
                      "title",
                      "t",
                      "body",
                      "x".repeat(1_000)));
      assertThat(small.status()).isEqualTo(202);
    }
  }
}
