package dev.herald.push.fcm;

import com.google.api.client.http.HttpResponseException;
import dev.herald.push.PushResult;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an FCM {@code messages:send} answer means for the message. Pure: status, body and {@code
 * Retry-After} in, {@link PushResult} out.
 *
 * <table>
 *   <caption>Rows, first match wins</caption>
 *   <tr><td>200</td><td>Accepted(name)</td></tr>
 *   <tr><td>errorCode UNREGISTERED, or 404</td><td>Rejected(token invalid)</td></tr>
 *   <tr><td>errorCode SENDER_ID_MISMATCH</td><td>Rejected(token invalid)</td></tr>
 *   <tr><td>INVALID_ARGUMENT naming field {@code message.token}</td><td>Rejected(token invalid)</td></tr>
 *   <tr><td>INVALID_ARGUMENT or other 400</td><td>Rejected(reason)</td></tr>
 *   <tr><td>QUOTA_EXCEEDED, RESOURCE_EXHAUSTED or 429</td><td>Retry(Retry-After)</td></tr>
 *   <tr><td>UNAVAILABLE or 503; INTERNAL or 500; any 5xx</td><td>Retry(Retry-After if sent)</td></tr>
 *   <tr><td>THIRD_PARTY_AUTH_ERROR, UNAUTHENTICATED or 401, PERMISSION_DENIED or 403</td>
 *       <td>Rejected, an {@linkplain #isAuthError auth error}</td></tr>
 *   <tr><td>other 4xx</td><td>Rejected(reason)</td></tr>
 * </table>
 *
 * <p>A reason is the FCM code, then {@code ": "} and FCM's message where it helps. Network failures
 * and timeouts are {@link #fromFailure retries}.
 */
public final class FcmErrors {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> AUTH_CODES =
      Set.of("UNAUTHENTICATED", "PERMISSION_DENIED", "THIRD_PARTY_AUTH_ERROR");

  private FcmErrors() {}

  /**
   * Whether a rejection's reason says the provider is misconfigured (bad or unauthorised service
   * account, or the project's APNs / Web Push credentials) rather than anything about the message:
   * every message will fail the same way until an operator fixes the credentials.
   */
  public static boolean isAuthError(String reason) {
    if (reason == null) return false;
    int colon = reason.indexOf(':');
    return AUTH_CODES.contains(colon < 0 ? reason : reason.substring(0, colon));
  }

  /** The outcome of an HTTP answer; {@code retryAfter} is the header's value or null. */
  public static PushResult fromResponse(int status, byte[] body, String retryAfter, Instant now) {
    JsonNode json = parse(body);
    if (status == 200) {
      String name = json.path("name").asString(null);
      return new PushResult.Accepted(name);
    }
    JsonNode error = json.path("error");
    String rpcStatus = error.path("status").asString("");
    String message = error.path("message").asString("");
    String errorCode = "";
    boolean tokenField = false;
    for (JsonNode detail : error.path("details")) {
      if (detail.has("errorCode")) errorCode = detail.path("errorCode").asString("");
      for (JsonNode violation : detail.path("fieldViolations"))
        if ("message.token".equals(violation.path("field").asString(null))) tokenField = true;
    }
    if (errorCode.equals("UNREGISTERED") || status == 404)
      return new PushResult.Rejected("UNREGISTERED", true);
    if (errorCode.equals("SENDER_ID_MISMATCH"))
      return new PushResult.Rejected("SENDER_ID_MISMATCH", true);
    boolean invalidArgument =
        errorCode.equals("INVALID_ARGUMENT") || rpcStatus.equals("INVALID_ARGUMENT");
    if (invalidArgument && tokenField)
      return new PushResult.Rejected(reason("INVALID_ARGUMENT", message), true);
    if (invalidArgument || status == 400)
      return new PushResult.Rejected(reason("INVALID_ARGUMENT", message), false);
    if (errorCode.equals("QUOTA_EXCEEDED")
        || rpcStatus.equals("RESOURCE_EXHAUSTED")
        || status == 429)
      return new PushResult.Retry("QUOTA_EXCEEDED", retryAfter(retryAfter, now));
    if (errorCode.equals("UNAVAILABLE") || rpcStatus.equals("UNAVAILABLE") || status == 503)
      return new PushResult.Retry("UNAVAILABLE", retryAfter(retryAfter, now));
    if (errorCode.equals("INTERNAL") || rpcStatus.equals("INTERNAL") || status == 500)
      return new PushResult.Retry("INTERNAL", retryAfter(retryAfter, now));
    if (status >= 500) return new PushResult.Retry("HTTP " + status, retryAfter(retryAfter, now));
    if (errorCode.equals("THIRD_PARTY_AUTH_ERROR"))
      return new PushResult.Rejected(reason("THIRD_PARTY_AUTH_ERROR", message), false);
    if (rpcStatus.equals("UNAUTHENTICATED") || status == 401)
      return new PushResult.Rejected(reason("UNAUTHENTICATED", message), false);
    if (rpcStatus.equals("PERMISSION_DENIED") || status == 403)
      return new PushResult.Rejected(reason("PERMISSION_DENIED", message), false);
    return new PushResult.Rejected(
        reason(rpcStatus.isEmpty() ? "HTTP " + status : rpcStatus, message), false);
  }

  /**
   * The outcome of a send that got no HTTP answer: connection failures, resets and timeouts are
   * retried.
   */
  public static PushResult fromFailure(Throwable failure) {
    Throwable cause = unwrap(failure);
    String what =
        cause instanceof TimeoutException
            ? "timeout"
            : cause instanceof ConnectException ? "connect" : "network";
    return new PushResult.Retry(what + ": " + describe(cause), null);
  }

  /**
   * The outcome when no access token could be had: the token endpoint refusing the account ({@code
   * invalid_grant}: revoked key, wrong account) is an auth rejection; an unreachable or failing
   * endpoint is retried.
   */
  public static PushResult fromTokenFailure(Throwable failure) {
    Throwable cause = unwrap(failure);
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException http) {
        int status = http.getStatusCode();
        if (status >= 400 && status < 500 && status != 408 && status != 429)
          return new PushResult.Rejected(
              reason(
                  "UNAUTHENTICATED",
                  "the token endpoint refused the service account (HTTP "
                      + status
                      + "): "
                      + shorten(http.getContent() == null ? "" : http.getContent().strip())),
              false);
        return new PushResult.Retry("token endpoint: HTTP " + status, null);
      }
    }
    return new PushResult.Retry("token endpoint: " + describe(cause), null);
  }

  /** Seconds or an HTTP date; null when absent, unreadable or already past. */
  static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) return null;
    String value = header.strip();
    try {
      long seconds = Long.parseLong(value);
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return at.isAfter(now) ? Duration.between(now, at) : null;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) return JSON.missingNode();
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      return JSON.missingNode();
    }
  }

  private static String reason(String code, String message) {
    return message == null || message.isBlank() ? code : code + ": " + message;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) t = t.getCause();
    return t;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return shorten(message == null ? t.getClass().getSimpleName() : message);
  }

  private static String shorten(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }
}
