package dev.herald.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.Content;
import dev.herald.delivery.Message;
import dev.herald.queue.Lane;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioApiTest {
  static final String SID = "AC" + "0".repeat(32);

  static Message message(String deliveryId) {
    return new Message(
        deliveryId,
        "n1",
        "app1",
        "u1",
        "sms",
        "sms",
        null,
        "+14155550100",
        Map.of(),
        new Content("t", "b", Map.of(), null, null),
        Lane.IMPORTANT,
        60,
        null,
        1,
        null);
  }

  @Test
  void aMessagingServiceReplacesFromAndTheCallbackNamesTheDelivery() {
    TwilioApi api =
        new TwilioApi(
            Map.of(
                "account_sid",
                SID,
                "auth_token",
                "t",
                "messaging_service_sid",
                "MG" + "1".repeat(32)),
            "app1",
            "https://h.example/herald/");
    assertThat(api.form(message("d+1"), "Héllo & bye"))
        .isEqualTo(
            "To=%2B14155550100&MessagingServiceSid=MG"
                + "1".repeat(32)
                + "&Body=H%C3%A9llo+%26+bye"
                + "&StatusCallback=https%3A%2F%2Fh.example%2Fherald%2Fv1%2Fcallbacks%2Ftwilio%2Fapp1%3Fd%3Dd%252B1");
    assertThat(api.request(message("d1"), "x").uri().toString())
        .isEqualTo("https://api.twilio.com/2010-04-01/Accounts/" + SID + "/Messages.json");
  }
}
