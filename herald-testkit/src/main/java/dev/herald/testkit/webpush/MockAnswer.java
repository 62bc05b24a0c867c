package dev.herald.testkit.webpush;

/**
 * An answer the mock gives a subscription instead of accepting its messages.
 *
 * @param status the HTTP status
 * @param retryAfter the {@code Retry-After} header (seconds or HTTP date), or null
 * @param body the response body, or empty
 */
public record MockAnswer(int status, String retryAfter, String body) {

  /** 404: the subscription does not exist (any more). */
  public static MockAnswer notFound() {
    return new MockAnswer(404, null, "");
  }

  /** 410: the user unsubscribed. */
  public static MockAnswer gone() {
    return new MockAnswer(410, null, "");
  }

  public static MockAnswer payloadTooLarge() {
    return new MockAnswer(413, null, "");
  }

  /** 429 with {@code Retry-After}: seconds like {@code "120"} or an HTTP date. */
  public static MockAnswer tooManyRequests(String retryAfter) {
    return new MockAnswer(429, retryAfter, "");
  }

  public static MockAnswer status(int status) {
    return new MockAnswer(status, null, "");
  }
}
