package dev.herald.testkit.fcm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/projects/{project}/messages:send}: checks the bearer token the token endpoint
 * issued, validates the message as FCM does, then answers the injected fault, a quota error, or the
 * message's name.
 */
final class SendEndpoint {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern PATH = Pattern.compile("/v1/projects/([^/]+)/messages:send");
  private static final Pattern TTL = Pattern.compile("\\d+(\\.\\d{1,9})?s");
  private static final int MAX_PAYLOAD_BYTES = 4096;

  private record Window(long startMillis, int count) {}

  final Queue<ReceivedFcmMessage> received = new ConcurrentLinkedQueue<>();
  final Map<String, FcmFault> faults = new ConcurrentHashMap<>();
  final AtomicLong requests = new AtomicLong();
  final Set<String> protocols = ConcurrentHashMap.newKeySet();
  final Set<Integer> connections = ConcurrentHashMap.newKeySet();
  volatile Duration retryAfter = Duration.ofSeconds(30);
  volatile int quotaMessages;
  volatile Duration quotaWindow = Duration.ofMinutes(1);
  volatile boolean recording = true;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(System.nanoTime());
  private final TokenEndpoint tokens;

  SendEndpoint(TokenEndpoint tokens) {
    this.tokens = tokens;
  }

  static boolean matches(String path) {
    return PATH.matcher(path).matches();
  }

  MockResponse handle(RecordedRequest request) {
    requests.incrementAndGet();
    protocols.add(request.getVersion());
    connections.add(request.getConnectionIndex());
    var path = PATH.matcher(request.getUrl().encodedPath());
    if (!path.matches() || !"POST".equals(request.getMethod()))
      return error(404, "NOT_FOUND", null, "Not found.", null);
    String project = path.group(1);
    String authorization = request.getHeaders().get("Authorization");
    TokenEndpoint.Issued grant =
        authorization != null && authorization.startsWith("Bearer ")
            ? tokens.issued.get(authorization.substring(7))
            : null;
    if (grant == null || grant.expiresAtMillis() < System.currentTimeMillis())
      return new MockResponse.Builder(
              error(
                  401,
                  "UNAUTHENTICATED",
                  null,
                  "Request had invalid authentication credentials. Expected OAuth 2 access token.",
                  null))
          .setHeader(
              "WWW-Authenticate",
              "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"")
          .build();
    if (!grant.projectId().equals(project))
      return error(
          403,
          "PERMISSION_DENIED",
          null,
          "Permission 'cloudmessaging.messages.create' denied on resource 'projects/"
              + project
              + "'",
          null);
    JsonNode message;
    try {
      byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
      message = JSON.readTree(body).path("message");
    } catch (JacksonException e) {
      return invalid("Invalid JSON payload received.", null);
    }
    MockResponse invalid = validate(message);
    if (invalid != null) return invalid;
    String token = message.path("token").asString();
    FcmFault fault = faults.get(token);
    if (fault != null) return fault(fault);
    if (!withinQuota(project)) return fault(FcmFault.QUOTA_EXCEEDED);
    if (recording) received.add(new ReceivedFcmMessage(project, token, message));
    return TokenEndpoint.json(
        200, "{\"name\":\"projects/" + project + "/messages/0:" + ids.incrementAndGet() + "\"}");
  }

  private static MockResponse validate(JsonNode message) {
    if (!message.isObject()) return invalid("Missing required field: message", "message");
    int targets = 0;
    for (String target : new String[] {"token", "topic", "condition"})
      if (message.has(target)) targets++;
    if (targets != 1
        || !message.path("token").isString()
        || message.path("token").asString().isEmpty())
      return invalid("Exactly one of token, topic or condition must be set.", "message.token");
    for (var entry : message.path("data").properties())
      if (!entry.getValue().isString())
        return invalid(
            "Invalid value at 'message.data[" + entry.getKey() + "].value' (TYPE_STRING)",
            "message.data");
    JsonNode android = message.path("android");
    String priority = android.path("priority").asString("normal");
    if (!priority.equalsIgnoreCase("high") && !priority.equalsIgnoreCase("normal"))
      return invalid("Invalid value at 'message.android.priority'", "message.android.priority");
    if (android.has("ttl") && !TTL.matcher(android.path("ttl").asString()).matches())
      return invalid(
          "Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration)",
          "message.android.ttl");
    for (String platform : new String[] {"apns", "webpush"})
      for (var header : message.path(platform).path("headers").properties())
        if (!header.getValue().isString())
          return invalid(
              "Invalid value at 'message." + platform + ".headers'",
              "message." + platform + ".headers");
    JsonNode link = message.path("webpush").path("fcm_options").path("link");
    if (!link.isMissingNode() && !link.asString().startsWith("https://"))
      return invalid("Invalid link: must use HTTPS", "message.webpush.fcm_options.link");
    ObjectNode payload = JSON.createObjectNode();
    if (message.has("notification")) payload.set("notification", message.get("notification"));
    if (message.has("data")) payload.set("data", message.get("data"));
    if (JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8).length
        > MAX_PAYLOAD_BYTES) return invalid("Message is too big", "message");
    return null;
  }

  private boolean withinQuota(String project) {
    int limit = quotaMessages;
    if (limit <= 0) return true;
    long now = System.currentTimeMillis();
    long windowMillis = quotaWindow.toMillis();
    Window window =
        windows.compute(
            project,
            (p, w) ->
                w == null || now - w.startMillis() >= windowMillis
                    ? new Window(now, 1)
                    : new Window(w.startMillis(), w.count() + 1));
    return window.count() <= limit;
  }

  private MockResponse fault(FcmFault fault) {
    MockResponse response =
        error(
            fault.httpStatus,
            fault.status,
            fault.errorCode,
            fault.message,
            fault == FcmFault.INVALID_TOKEN ? "message.token" : null);
    if (fault != FcmFault.QUOTA_EXCEEDED) return response;
    return new MockResponse.Builder(response)
        .setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())))
        .build();
  }

  private static MockResponse invalid(String message, String field) {
    return error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", message, field);
  }

  private static MockResponse error(
      int httpStatus, String status, String errorCode, String message, String violatedField) {
    ObjectNode error = JSON.createObjectNode();
    error.put("code", httpStatus);
    error.put("message", message);
    error.put("status", status);
    var details = error.putArray("details");
    if (errorCode != null)
      details
          .addObject()
          .put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
          .put("errorCode", errorCode);
    if (violatedField != null)
      details
          .addObject()
          .put("@type", "type.googleapis.com/google.rpc.BadRequest")
          .putArray("fieldViolations")
          .addObject()
          .put("field", violatedField)
          .put("description", message);
    ObjectNode body = JSON.createObjectNode();
    body.set("error", error);
    return TokenEndpoint.json(httpStatus, JSON.writeValueAsString(body));
  }
}
