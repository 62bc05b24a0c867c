package dev.herald.testkit.twilio;

import java.util.List;
import java.util.Map;

/**
 * One Messages create request as the mock received it (every field decoded), and the sid it was
 * given when accepted (null when refused).
 */
public record TwilioMessage(
    String sid,
    String accountSid,
    String authorization,
    String contentType,
    Map<String, List<String>> form) {
  public String field(String name) {
    List<String> values = form.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  public String to() {
    return field("To");
  }

  public String body() {
    return field("Body");
  }

  public String statusCallback() {
    return field("StatusCallback");
  }
}
