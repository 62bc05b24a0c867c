package dev.herald.push.expo;

import java.io.IOException;
import java.time.Duration;

/**
 * A request to Expo that failed as a whole: an HTTP error answer (status, Expo's error code) or no
 * answer at all (status 0). Fetching receipts fails with it; try again later.
 */
public final class ExpoRequestException extends IOException {
  private final int status;
  private final String code;
  private final Duration retryAfter;

  ExpoRequestException(
      int status, String code, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }

  /** Expo's error code (e.g. {@code TOO_MANY_REQUESTS}), or null. */
  public String code() {
    return code;
  }

  /** The wait Expo asked for, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
