package dev.herald.sms;

import dev.herald.delivery.SendOutcome;
import dev.herald.web.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/** What an SMS provider's HTTP answer means for the delivery: pure functions, tested row by row. */
final class SmsResponses {
  // Twilio error codes (https://www.twilio.com/docs/api/errors) that say the app's account or
  // sender is at fault, not the recipient: refused credentials, a sender it may not use.
  private static final Set<Integer> TWILIO_MISCONFIGURED =
      Set.of(20003, 20404, 21212, 21606, 21659, 21660, 21703, 21704, 21705, 30002);
  private static final int TWILIO_TOO_MANY_REQUESTS = 20429;

  private SmsResponses() {}

  /**
   * Twilio's answer to a Messages create: 201 with the message sid; 401 or error 20003 is refused
   * credentials; 429 (error 20429) and 5xx are retried after {@code Retry-After}; any other 4xx
   * refuses this message for good (21211 not a valid number, 21610 the recipient replied STOP,
   * 21614 not a mobile number, 21408 a region the account may not send to).
   */
  static SendOutcome twilio(int status, String body, String retryAfter, Instant now) {
    Map<String, Object> json = parse(body);
    if (status >= 200 && status < 300)
      return new SendOutcome.Accepted(json.get("sid") instanceof String sid ? sid : null);
    int code = json.get("code") instanceof Number n ? n.intValue() : 0;
    String reason =
        "twilio "
            + (code == 0 ? status : code)
            + (json.get("message") instanceof String m ? ": " + m : "");
    if (status == 401 || TWILIO_MISCONFIGURED.contains(code))
      return new SendOutcome.Misconfigured(reason);
    if (status == 429 || code == TWILIO_TOO_MANY_REQUESTS || status >= 500)
      return new SendOutcome.Retry(reason, retryAfter(retryAfter, now));
    return new SendOutcome.Rejected(reason, false);
  }

  /**
   * A generic HTTP provider's answer: 2xx accepted (an {@code id} in a JSON answer is kept as the
   * provider's message id), 401/403 refused credentials, 408/429/5xx retried, other 4xx refused.
   */
  static SendOutcome http(int status, String body, String retryAfter, Instant now) {
    if (status >= 200 && status < 300)
      return new SendOutcome.Accepted(parse(body).get("id") instanceof String id ? id : null);
    String reason = "sms provider answered " + status;
    if (status == 401 || status == 403) return new SendOutcome.Misconfigured(reason);
    if (status == 408 || status == 429 || status >= 500)
      return new SendOutcome.Retry(reason, retryAfter(retryAfter, now));
    return new SendOutcome.Rejected(reason, false);
  }

  /** Seconds or an HTTP date; null when absent, unreadable or already past. */
  static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) return null;
    try {
      long seconds = Long.parseLong(header.strip());
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at =
            ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return at.isAfter(now) ? Duration.between(now, at) : null;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static Map<String, Object> parse(String body) {
    if (body == null || body.isBlank()) return Map.of();
    try {
      return Json.map(body);
    } catch (RuntimeException notJson) {
      return Map.of();
    }
  }
}
