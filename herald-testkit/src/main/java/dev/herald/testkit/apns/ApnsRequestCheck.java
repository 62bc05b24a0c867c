package dev.herald.testkit.apns;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import mockwebserver3.RecordedRequest;
import okio.ByteString;

/** APNs' checks of one request, in the order the mock applies them. Pure apart from the clock. */
final class ApnsRequestCheck {
  static final int MAX_PAYLOAD = 4096;
  static final int MAX_COLLAPSE_ID = 64;
  private static final String PREFIX = "/3/device/";
  private static final Pattern HEX_TOKEN = Pattern.compile("[0-9a-fA-F]{64,200}");
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");
  private static final Set<String> PRIORITIES = Set.of("1", "5", "10");
  private static final Set<String> PUSH_TYPES =
      Set.of(
          "alert",
          "background",
          "location",
          "voip",
          "complication",
          "fileprovider",
          "mdm",
          "liveactivity",
          "pushtotalk",
          "widgets",
          "controls");

  /**
   * What the checks found: the token from the path, the {@code apns-id} to answer with, the JWT,
   * and the refusal (null when the request is good).
   */
  record Checked(String token, String apnsId, String jwt, ApnsMock.Answer refusal) {}

  private final ProviderTokenCheck tokens;
  private final Set<String> topics;

  ApnsRequestCheck(ProviderTokenCheck tokens, Set<String> topics) {
    this.tokens = tokens;
    this.topics = topics;
  }

  Checked check(RecordedRequest request) {
    String path = request.getTarget();
    String token = path != null && path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : null;
    String authorization = request.getHeaders().get("authorization");
    String jwt =
        authorization != null && authorization.startsWith("bearer ")
            ? authorization.substring(7).strip()
            : null;
    String requestedId = request.getHeaders().get("apns-id");
    boolean idOk = requestedId == null || isUuid(requestedId);
    String apnsId = requestedId != null && idOk ? requestedId : UUID.randomUUID().toString();
    return new Checked(token, apnsId, jwt, refusal(request, token, authorization, idOk));
  }

  private ApnsMock.Answer refusal(
      RecordedRequest request, String token, String authorization, boolean idOk) {
    if (!"POST".equals(request.getMethod())) return answer(405, "MethodNotAllowed");
    if (token == null) return answer(404, "BadPath");
    if (token.isEmpty()) return answer(400, "MissingDeviceToken");
    String tokenRefusal = tokens.refusal(authorization);
    if (tokenRefusal != null) return answer(403, tokenRefusal);
    String topic = request.getHeaders().get("apns-topic");
    if (topic == null) return answer(400, "MissingTopic");
    if (!topics.isEmpty() && !topics.contains(topic)) return answer(400, "TopicDisallowed");
    if (!idOk) return answer(400, "BadMessageId");
    String priority = request.getHeaders().get("apns-priority");
    if (priority != null && !PRIORITIES.contains(priority)) return answer(400, "BadPriority");
    String pushType = request.getHeaders().get("apns-push-type");
    if (pushType != null && !PUSH_TYPES.contains(pushType)) return answer(400, "InvalidPushType");
    String expiration = request.getHeaders().get("apns-expiration");
    if (expiration != null && !NUMBER.matcher(expiration).matches())
      return answer(400, "BadExpirationDate");
    String collapseId = request.getHeaders().get("apns-collapse-id");
    if (collapseId != null && collapseId.getBytes(StandardCharsets.UTF_8).length > MAX_COLLAPSE_ID)
      return answer(400, "BadCollapseId");
    if (!HEX_TOKEN.matcher(token).matches()) return answer(400, "BadDeviceToken");
    ByteString body = request.getBody();
    if (body == null || body.size() == 0) return answer(400, "PayloadEmpty");
    if (body.size() > MAX_PAYLOAD) return answer(413, "PayloadTooLarge");
    return null;
  }

  private static ApnsMock.Answer answer(int status, String reason) {
    return new ApnsMock.Answer(status, reason, null, null);
  }

  private static boolean isUuid(String text) {
    if (text.length() != 36) return false;
    try {
      UUID.fromString(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
