package dev.herald.testkit.apns;

import java.util.Map;

/**
 * One request {@link ApnsMock} received, and how it answered.
 *
 * @param connection which TLS connection carried it (0, 1, … in the order they were accepted)
 * @param deviceToken the token from the path {@code /3/device/<token>}
 * @param headers request headers, names lower-case, first value of each
 * @param body the raw request body
 * @param payload the body parsed as a JSON object, or null when it is not one
 * @param jwt the provider token from {@code authorization: bearer …}, or null
 * @param status the status the mock answered
 * @param reason the {@code reason} the mock answered, null for 200
 */
public record ApnsMockRequest(
    int connection,
    String deviceToken,
    Map<String, String> headers,
    String body,
    Map<String, Object> payload,
    String jwt,
    int status,
    String reason) {

  /** A header by lower-case name, or null. */
  public String header(String name) {
    return headers.get(name);
  }
}
