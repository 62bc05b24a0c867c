package dev.herald.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testkit.twilio.TwilioMock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {
  static final Map<String, String> PARAMS =
      Map.of(
          "CallSid",
          "CA1234567890ABCDE",
          "Caller",
          "+12349013030",
          "Digits",
          "1234",
          "From",
          "+12349013030",
          "To",
          "+18005551212");
  static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";

  @Test
  void twilioPublishedExampleSignatureIsReproduced() {
    assertThat(TwilioSignature.sign("12345", URL, lists(PARAMS)))
        .isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    assertThat(TwilioMock.signature("12345", URL, PARAMS))
        .as("the mock's own implementation agrees")
        .isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  }

  @Test
  void verificationNeedsTheTokenTheUrlAndEveryParameterUnchanged() {
    String good = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
    assertThat(TwilioSignature.verify("12345", URL, lists(PARAMS), good)).isTrue();
    assertThat(TwilioSignature.verify("12346", URL, lists(PARAMS), good)).isFalse();
    assertThat(TwilioSignature.verify("12345", URL.replace("foo=1", "foo=2"), lists(PARAMS), good))
        .isFalse();
    Map<String, String> changed = new TreeMap<>(PARAMS);
    changed.put("Digits", "1235");
    assertThat(TwilioSignature.verify("12345", URL, lists(changed), good)).isFalse();
    changed = new TreeMap<>(PARAMS);
    changed.put("Extra", "1");
    assertThat(TwilioSignature.verify("12345", URL, lists(changed), good)).isFalse();
    assertThat(TwilioSignature.verify("12345", URL, lists(PARAMS), null)).isFalse();
    assertThat(TwilioSignature.verify("12345", URL, lists(PARAMS), "")).isFalse();
  }

  @Test
  void aUrlSignedWithOrWithoutTheDefaultPortIsAccepted() {
    String withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    String signedWithPort = TwilioSignature.sign("12345", withPort, lists(PARAMS));
    assertThat(TwilioSignature.verify("12345", URL, lists(PARAMS), signedWithPort)).isTrue();
    assertThat(
            TwilioSignature.verify(
                "12345", withPort, lists(PARAMS), "0/KCTR6DLpKmkAf8muzZqo1nDgQ="))
        .isTrue();
    assertThat(TwilioSignature.urlForms("http://h:8080/p?q=1"))
        .containsExactly("http://h:8080/p?q=1");
  }

  private static Map<String, List<String>> lists(Map<String, String> m) {
    Map<String, List<String>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, List.of(v)));
    return out;
  }
}
