package dev.herald.push.webpush;

import dev.herald.push.PushResult;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What a push service's answer means for one message (RFC 8030, RFC 8292). Pure functions.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>answer</th><th>result</th></tr>
 *   <tr><td>2xx</td><td>Accepted, the {@code Location} header as the provider id</td></tr>
 *   <tr><td>404, 410</td><td>Rejected, subscription gone (token invalid)</td></tr>
 *   <tr><td>413</td><td>Rejected: payload too large</td></tr>
 *   <tr><td>401, 403</td><td>Rejected: VAPID credentials refused (not the subscription's fault)
 *   </td></tr>
 *   <tr><td>400 and other 4xx, 3xx</td><td>Rejected with the status and body</td></tr>
 *   <tr><td>408, 425, 429</td><td>Retry, after {@code Retry-After} (seconds or HTTP date) if
 *   given</td></tr>
 *   <tr><td>5xx</td><td>Retry, after {@code Retry-After} if given</td></tr>
 *   <tr><td>no answer (refused, reset, timeout)</td><td>Retry</td></tr>
 * </table>
 */
final class WebPushResponses {
  private static final int MAX_DETAIL = 200;

  private WebPushResponses() {}

  /**
   * @param location the {@code Location} header or null
   * @param retryAfter the {@code Retry-After} header or null
   * @param body the response body (may be empty or null), quoted in reasons
   * @param now for {@code Retry-After} dates
   */
  static PushResult fromResponse(
      int status, String location, String retryAfter, String body, Instant now) {
    String detail = detail(body);
    if (status >= 200 && status < 300) return new PushResult.Accepted(location);
    return switch (status) {
      case 404, 410 ->
          new PushResult.Rejected(
              "subscription expired or unsubscribed (HTTP " + status + ")" + detail, true);
      case 413 -> new PushResult.Rejected("payload too large" + detail, false);
      case 401, 403 ->
          new PushResult.Rejected(
              "VAPID authorization refused (HTTP "
                  + status
                  + "): check the key pair and subject"
                  + detail,
              false);
      case 408, 425, 429 ->
          new PushResult.Retry("HTTP " + status + detail, retryAfter(retryAfter, now));
      default ->
          status >= 500
              ? new PushResult.Retry(
                  "push service error (HTTP " + status + ")" + detail, retryAfter(retryAfter, now))
              : new PushResult.Rejected("HTTP " + status + detail, false);
    };
  }

  /** A request that got no answer: connection refused or reset, TLS failure, timeout. */
  static PushResult fromFailure(Throwable failure) {
    Throwable cause = unwrap(failure);
    String reason =
        switch (cause) {
          case ConnectException c -> "connection failed: " + c.getMessage();
          case TimeoutException t -> "timed out" + message(t);
          default -> cause.getClass().getSimpleName() + message(cause);
        };
    return new PushResult.Retry(reason, null);
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) return null;
    String text = value.strip();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static String detail(String body) {
    if (body == null || body.isBlank()) return "";
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return ": "
        + (oneLine.length() > MAX_DETAIL ? oneLine.substring(0, MAX_DETAIL) + "…" : oneLine);
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? "" : ": " + t.getMessage();
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) t = t.getCause();
    return t;
  }
}
