package dev.herald.push.expo;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What Expo's answer to {@code /push/getReceipts} says. Pure. */
public final class ExpoReceipts {
  /** Expo answers at most this many receipts per request. */
  public static final int MAX_BATCH = 1000;

  private ExpoReceipts() {}

  /** One receipt: ok → delivered, DeviceNotRegistered → token invalid, other errors → failed. */
  public static ExpoReceipt fromReceipt(JsonNode receipt) {
    if ("ok".equals(receipt.path("status").asString(null))) return new ExpoReceipt.Delivered();
    String code = receipt.path("details").path("error").asString("");
    if (code.equals("DeviceNotRegistered")) return new ExpoReceipt.TokenInvalid(code);
    String message = receipt.path("message").asString("");
    return new ExpoReceipt.Failed(ExpoTickets.reason(code.isEmpty() ? "ExpoError" : code, message));
  }

  /**
   * The receipts in a 200 answer's {@code data}, by ticket id; ids without a receipt are absent.
   */
  public static Map<String, ExpoReceipt> fromAnswer(byte[] body) {
    Map<String, ExpoReceipt> receipts = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : ExpoTickets.parse(body).path("data").properties())
      receipts.put(entry.getKey(), fromReceipt(entry.getValue()));
    return receipts;
  }
}
