package dev.herald.push.apns;

import dev.herald.push.PushResult;
import java.time.Duration;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an APNs answer means, as a pure function of status, {@code apns-id}, reason and {@code
 * Retry-After}.
 *
 * <ul>
 *   <li>200 → {@link PushResult.Accepted} with the {@code apns-id}.
 *   <li>{@code BadDeviceToken}, {@code DeviceTokenNotForTopic}, {@code ExpiredToken} and every 410
 *       ({@code Unregistered}) → {@link PushResult.Rejected} with {@code tokenInvalid}: the token
 *       is gone and must not be used again.
 *   <li>403 ({@code InvalidProviderToken}, {@code ExpiredProviderToken}, {@code
 *       MissingProviderToken}, {@code BadCertificate}, …) → Rejected, token kept, reason prefixed
 *       with {@value #PROVIDER_AUTH_PREFIX}: the team id, key id, key or environment is wrong, not
 *       the device. {@link #isProviderAuthError(String)} tells.
 *   <li>Other 4xx (PayloadTooLarge, BadCollapseId, BadTopic, MissingTopic, 413, …) → Rejected,
 *       token kept.
 *   <li>429 ({@code TooManyRequests}, {@code TooManyProviderTokenUpdates}) and 5xx → {@link
 *       PushResult.Retry}, with {@code Retry-After} when APNs sent one.
 * </ul>
 */
public final class ApnsErrors {
  /** Marks a rejection caused by the provider credentials, not the message or device. */
  public static final String PROVIDER_AUTH_PREFIX = "provider-auth:";

  private static final Set<String> TOKEN_GONE =
      Set.of("BadDeviceToken", "DeviceTokenNotForTopic", "Unregistered", "ExpiredToken");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ApnsErrors() {}

  /**
   * Maps one APNs answer.
   *
   * @param apnsId the {@code apns-id} response header, may be null
   * @param reason the {@code reason} of the JSON error body, null when there was none
   * @param retryAfter the {@code Retry-After} header, null when absent
   */
  public static PushResult toResult(int status, String apnsId, String reason, Duration retryAfter) {
    if (status == 200) return new PushResult.Accepted(apnsId);
    String why = reason != null && !reason.isBlank() ? reason : defaultReason(status);
    if (status == 410 || (status == 400 && TOKEN_GONE.contains(why)))
      return new PushResult.Rejected(why, true);
    if (status == 403) return new PushResult.Rejected(PROVIDER_AUTH_PREFIX + why, false);
    if (status == 429 || status >= 500) return new PushResult.Retry(why, retryAfter);
    if (status >= 400) return new PushResult.Rejected(why, false);
    return new PushResult.Retry("unexpected HTTP status " + status, retryAfter);
  }

  /** Whether a rejection reason says the APNs credentials are wrong (see the class comment). */
  public static boolean isProviderAuthError(String reason) {
    return reason != null && reason.startsWith(PROVIDER_AUTH_PREFIX);
  }

  /** The {@code reason} of an APNs error body ({@code {"reason":"…"}}), or null. */
  public static String reasonOf(String body) {
    if (body == null || body.isBlank()) return null;
    try {
      JsonNode reason = JSON.readTree(body).get("reason");
      return reason != null && reason.isString() ? reason.asString() : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  /**
   * {@code Retry-After} as APNs or a proxy may send it: delay seconds, else null (HTTP dates are
   * left to the caller's backoff).
   */
  public static Duration retryAfterOf(String header) {
    if (header == null) return null;
    try {
      long seconds = Long.parseLong(header.strip());
      return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String defaultReason(int status) {
    return switch (status) {
      case 400 -> "BadRequest";
      case 403 -> "Forbidden";
      case 404 -> "BadPath";
      case 405 -> "MethodNotAllowed";
      case 410 -> "Unregistered";
      case 413 -> "PayloadTooLarge";
      case 429 -> "TooManyRequests";
      case 500 -> "InternalServerError";
      case 503 -> "ServiceUnavailable";
      default -> "HTTP " + status;
    };
  }
}
