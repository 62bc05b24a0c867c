package dev.herald.testkit.expo;

import tools.jackson.databind.JsonNode;

/**
 * One message the mock issued an ok ticket for.
 *
 * @param to the push token
 * @param ticketId the ticket id answered for it
 * @param message the message object as received
 */
public record ReceivedExpoMessage(String to, String ticketId, JsonNode message) {

  /** A top-level field or a dotted path ({@code "data.order"}) as text; null if absent. */
  public String field(String dottedPath) {
    JsonNode node = message;
    for (String part : dottedPath.split("\\.")) node = node.path(part);
    return node.isMissingNode() || node.isNull() ? null : node.asString();
  }
}
