package dev.herald.testkit.fcm;

import tools.jackson.databind.JsonNode;

/**
 * One message the mock accepted.
 *
 * @param projectId the project named in the request path
 * @param token the device token ({@code message.token})
 * @param message the {@code message} object as received
 */
public record ReceivedFcmMessage(String projectId, String token, JsonNode message) {

  /**
   * The value at a dotted path inside {@code message}, e.g. {@code "android.ttl"}; null if absent.
   */
  public String field(String dottedPath) {
    JsonNode node = message;
    for (String part : dottedPath.split("\\.")) node = node.path(part);
    return node.isMissingNode() || node.isNull() ? null : node.asString();
  }
}
