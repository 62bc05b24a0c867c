package dev.herald.push.expo;

import dev.herald.push.PushResult;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Expo's answer to {@code /push/send} means for each message of the batch. Pure.
 *
 * <p>Tickets: {@code ok} → Accepted(ticket id); {@code DeviceNotRegistered} → Rejected(token
 * invalid); {@code MessageTooBig} → Rejected; {@code InvalidCredentials}, {@code MismatchSenderId}
 * → Rejected, an {@linkplain #isAuthError auth error}; {@code MessageRateExceeded} → Retry; any
 * other error → Rejected with Expo's code and message.
 *
 * <p>Whole-request errors: 429 → Retry after {@code Retry-After}; 5xx or an error marked {@code
 * isTransient} → Retry; 401/403 → Rejected, an auth error; 400 with {@code errors[]} → Rejected for
 * each message an error names (by index {@code "[3]"} or by token in its details) and Retry for the
 * others, which were refused only for being in the same batch; when no error names a message, every
 * message is Rejected with the first error.
 */
public final class ExpoTickets {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");
  private static final Set<String> AUTH_CODES =
      Set.of("InvalidCredentials", "MismatchSenderId", "UNAUTHORIZED", "INSUFFICIENT_PERMISSIONS");

  private ExpoTickets() {}

  /**
   * Whether a rejection's reason says the Expo project is misconfigured (access token, APNs or FCM
   * credentials) rather than anything about the message or the device.
   */
  public static boolean isAuthError(String reason) {
    if (reason == null) return false;
    int colon = reason.indexOf(':');
    return AUTH_CODES.contains(colon < 0 ? reason : reason.substring(0, colon));
  }

  /** The outcome of one ticket. */
  public static PushResult fromTicket(JsonNode ticket) {
    String status = ticket.path("status").asString("");
    if (status.equals("ok")) return new PushResult.Accepted(ticket.path("id").asString(null));
    if (!status.equals("error")) return new PushResult.Retry("no ticket from Expo", null);
    String code = ticket.path("details").path("error").asString("");
    String message = ticket.path("message").asString("");
    return switch (code) {
      case "DeviceNotRegistered" -> new PushResult.Rejected("DeviceNotRegistered", true);
      case "MessageTooBig" -> new PushResult.Rejected("MessageTooBig", false);
      case "MessageRateExceeded" -> new PushResult.Retry("MessageRateExceeded", null);
      case "" -> new PushResult.Rejected(reason("ExpoError", message), false);
      default -> new PushResult.Rejected(reason(code, message), false);
    };
  }

  /**
   * One outcome per token of the batch, in order, from the HTTP answer; {@code retryAfter} is the
   * header's value or null.
   */
  public static List<PushResult> fromAnswer(
      int status, byte[] body, String retryAfter, Instant now, List<String> tokens) {
    JsonNode json = parse(body);
    JsonNode errors = json.path("errors");
    boolean hasErrors = errors.isArray() && !errors.isEmpty();
    if (status == 200 && !hasErrors) return tickets(json.path("data"), tokens.size());
    JsonNode first = hasErrors ? errors.get(0) : JSON.missingNode();
    String code =
        first.path("code").asString(status == 429 ? "TOO_MANY_REQUESTS" : "HTTP " + status);
    String reason = reason(code, first.path("message").asString(""));
    Duration after = retryAfter(retryAfter, now);
    if (status == 429) return same(new PushResult.Retry(code, after), tokens.size());
    if (status >= 500) return same(new PushResult.Retry(code, after), tokens.size());
    if (status == 401 || status == 403) {
      String auth = status == 401 ? "UNAUTHORIZED" : "INSUFFICIENT_PERMISSIONS";
      if (!hasErrors) reason = auth;
      else if (!AUTH_CODES.contains(code)) reason = auth + ": " + reason;
      return same(new PushResult.Rejected(reason, false), tokens.size());
    }
    for (JsonNode error : errors)
      if (error.path("isTransient").asBoolean(false))
        return same(new PushResult.Retry(reason, after), tokens.size());
    List<PushResult> results = new ArrayList<>(Collections.nCopies(tokens.size(), null));
    for (JsonNode error : errors) {
      PushResult rejected =
          new PushResult.Rejected(
              reason(error.path("code").asString("ExpoError"), error.path("message").asString("")),
              false);
      for (int i : attributed(error, tokens)) if (results.get(i) == null) results.set(i, rejected);
    }
    boolean anyAttributed = results.stream().anyMatch(r -> r != null);
    PushResult others =
        anyAttributed
            ? new PushResult.Retry("batch refused for another message: " + reason, null)
            : new PushResult.Rejected(reason, false);
    results.replaceAll(r -> r == null ? others : r);
    return results;
  }

  private static List<PushResult> tickets(JsonNode data, int count) {
    List<PushResult> results = new ArrayList<>(count);
    if (data.isObject() && count == 1) { // a single message may be answered by a single ticket
      results.add(fromTicket(data));
      return results;
    }
    for (int i = 0; i < count; i++)
      results.add(
          i < data.size() && data.isArray()
              ? fromTicket(data.get(i))
              : new PushResult.Retry("no ticket from Expo", null));
    return results;
  }

  private static Set<Integer> attributed(JsonNode error, List<String> tokens) {
    Set<Integer> indices = new HashSet<>();
    Matcher index = INDEX.matcher(error.path("message").asString(""));
    while (index.find()) {
      try {
        int i = Integer.parseInt(index.group(1));
        if (i < tokens.size()) indices.add(i);
      } catch (NumberFormatException tooLong) {
        // not an index into this batch
      }
    }
    Set<String> named = new HashSet<>();
    collectStrings(error.path("details"), named);
    for (int i = 0; i < tokens.size(); i++) if (named.contains(tokens.get(i))) indices.add(i);
    return indices;
  }

  private static void collectStrings(JsonNode node, Set<String> into) {
    if (node.isString()) into.add(node.asString());
    else if (node.isContainer()) for (JsonNode child : node.values()) collectStrings(child, into);
  }

  private static List<PushResult> same(PushResult result, int count) {
    return new ArrayList<>(Collections.nCopies(count, result));
  }

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

  static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) return JSON.missingNode();
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      return JSON.missingNode();
    }
  }

  static String reason(String code, String message) {
    if (message == null || message.isBlank()) return code;
    String text = message.length() <= 300 ? message : message.substring(0, 300) + "…";
    return code + ": " + text;
  }
}
