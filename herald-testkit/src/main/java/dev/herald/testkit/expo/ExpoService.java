package dev.herald.testkit.expo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The push service behind {@link ExpoMock}: its two endpoints and everything they remember. */
final class ExpoService {
  static final String SEND = "/--/api/v2/push/send";
  static final String RECEIPTS = "/--/api/v2/push/getReceipts";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern TOKEN =
      Pattern.compile(
          "(Exponent|Expo)PushToken\\[[^\\]]+\\]|[a-zA-Z0-9]{8}-[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}-[a-zA-Z0-9]{12}");
  private static final Set<String> PRIORITIES = Set.of("default", "normal", "high");
  private static final int MAX_MESSAGES = 100;
  private static final int MAX_RECEIPTS = 1000;
  private static final int MAX_PAYLOAD_BYTES = 4096;

  private record Window(long startMillis, int count) {}

  final Queue<ExpoSendRequest> sendRequests = new ConcurrentLinkedQueue<>();
  final Queue<Integer> receiptBatches = new ConcurrentLinkedQueue<>();
  final Queue<ReceivedExpoMessage> received = new ConcurrentLinkedQueue<>();
  final Map<String, ExpoError> ticketErrors = new ConcurrentHashMap<>();
  final Map<String, ExpoError> receiptErrorsByToken = new ConcurrentHashMap<>();
  final Map<String, ExpoError> receiptErrorsByTicket = new ConcurrentHashMap<>();
  final Set<String> badRequestTokens = ConcurrentHashMap.newKeySet();
  final Map<String, String> tickets = new ConcurrentHashMap<>(); // ticket id → token
  final AtomicInteger tooManyRequests = new AtomicInteger();
  final AtomicInteger serverErrors = new AtomicInteger();
  volatile Duration retryAfter = Duration.ofSeconds(5);
  volatile String accessToken;
  volatile int messagesPerSecond;
  volatile boolean receiptsPending;
  volatile boolean recording = true;
  private volatile Window window = new Window(0, 0);

  MockResponse send(RecordedRequest request) {
    byte[] wire = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    boolean gzipped = "gzip".equalsIgnoreCase(request.getHeaders().get("Content-Encoding"));
    String acceptEncoding = request.getHeaders().get("Accept-Encoding");
    boolean acceptsGzip = acceptEncoding != null && acceptEncoding.toLowerCase().contains("gzip");
    String authorization = request.getHeaders().get("Authorization");
    JsonNode body;
    try {
      body = JSON.readTree(gzipped ? gunzip(wire) : wire);
    } catch (JacksonException | UncheckedIOException e) {
      return errors(400, acceptsGzip, error("VALIDATION_ERROR", "The request body must be JSON."));
    }
    List<JsonNode> messages = new ArrayList<>();
    if (body.isArray()) body.forEach(messages::add);
    else messages.add(body);
    int recipients = 0;
    for (JsonNode message : messages)
      recipients += message.path("to").isArray() ? message.path("to").size() : 1;
    sendRequests.add(
        new ExpoSendRequest(recipients, wire.length, gzipped, acceptsGzip, authorization));
    MockResponse refused = refuse(authorization, acceptsGzip);
    if (refused != null) return refused;
    if (recipients > MAX_MESSAGES)
      return errors(
          400,
          acceptsGzip,
          error(
              "PUSH_TOO_MANY_NOTIFICATIONS",
              "You are trying to send more than 100 push notifications in one request"));
    ArrayNode invalid = JSON.createArrayNode();
    for (int i = 0; i < messages.size(); i++) {
      String problem = validate(messages.get(i));
      if (problem != null) invalid.add(error("VALIDATION_ERROR", "\"[" + i + "]." + problem));
    }
    if (!invalid.isEmpty()) return errors(400, acceptsGzip, invalid);
    if (!withinRate(recipients))
      return withRetryAfter(
          errors(
              429,
              acceptsGzip,
              error(
                  "TOO_MANY_REQUESTS",
                  "You are exceeding the request limit of 600 notifications per second per"
                      + " project.")));
    ArrayNode data = JSON.createArrayNode();
    for (JsonNode message : messages) {
      if (message.path("to").isArray())
        for (JsonNode to : message.path("to")) data.add(ticket(to.asString(), message));
      else data.add(ticket(message.path("to").asString(), message));
    }
    ObjectNode answer = JSON.createObjectNode();
    // one message object to one recipient is answered by one ticket object, not an array
    answer.set("data", body.isObject() && body.path("to").isString() ? data.get(0) : data);
    return json(200, acceptsGzip, answer);
  }

  MockResponse receipts(RecordedRequest request) {
    String acceptEncoding = request.getHeaders().get("Accept-Encoding");
    boolean acceptsGzip = acceptEncoding != null && acceptEncoding.toLowerCase().contains("gzip");
    JsonNode ids;
    try {
      byte[] wire = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
      boolean gzipped = "gzip".equalsIgnoreCase(request.getHeaders().get("Content-Encoding"));
      ids = JSON.readTree(gzipped ? gunzip(wire) : wire).path("ids");
    } catch (JacksonException | UncheckedIOException e) {
      return errors(400, acceptsGzip, error("VALIDATION_ERROR", "The request body must be JSON."));
    }
    if (!ids.isArray())
      return errors(400, acceptsGzip, error("VALIDATION_ERROR", "\"ids\" must be an array"));
    receiptBatches.add(ids.size());
    MockResponse refused = refuse(request.getHeaders().get("Authorization"), acceptsGzip);
    if (refused != null) return refused;
    if (ids.size() > MAX_RECEIPTS)
      return errors(
          400,
          acceptsGzip,
          error(
              "PUSH_TOO_MANY_RECEIPTS",
              "You are trying to get more than 1000 push receipts in one request"));
    ObjectNode data = JSON.createObjectNode();
    if (!receiptsPending)
      for (JsonNode id : ids) {
        String token = tickets.get(id.asString());
        if (token == null) continue; // Expo leaves out ids it has no receipt for
        ExpoError error = receiptErrorsByTicket.get(id.asString());
        if (error == null) error = receiptErrorsByToken.get(token);
        data.set(id.asString(), error == null ? ok() : errorTicket(error, token));
      }
    ObjectNode answer = JSON.createObjectNode();
    answer.set("data", data);
    return json(200, acceptsGzip, answer);
  }

  private MockResponse refuse(String authorization, boolean acceptsGzip) {
    String required = accessToken;
    if (required != null && !("Bearer " + required).equals(authorization))
      return errors(
          401,
          acceptsGzip,
          error(
              "UNAUTHORIZED",
              "The bearer token is invalid; push security is enabled for this project."));
    if (tooManyRequests.getAndUpdate(n -> Math.max(0, n - 1)) > 0)
      return withRetryAfter(
          errors(
              429,
              acceptsGzip,
              error(
                  "TOO_MANY_REQUESTS",
                  "You are exceeding the request limit of 600 notifications per second per"
                      + " project.")));
    if (serverErrors.getAndUpdate(n -> Math.max(0, n - 1)) > 0)
      return errors(503, acceptsGzip, error("INTERNAL_SERVER_ERROR", "An unknown error occurred."));
    return null;
  }

  private String validate(JsonNode message) {
    if (!message.isObject()) return "value\" must be an object";
    JsonNode to = message.path("to");
    if (!to.isString() && !to.isArray()) return "to\" is required";
    if (to.isString() && badRequestTokens.contains(to.asString()))
      return "to\" is not a valid push token for this project";
    if (message.has("priority") && !PRIORITIES.contains(message.path("priority").asString()))
      return "priority\" must be one of [default, normal, high]";
    if (message.has("ttl") && (!message.path("ttl").isNumber() || message.path("ttl").asLong() < 0))
      return "ttl\" must be a non-negative number";
    if (message.has("data") && !message.path("data").isObject())
      return "data\" must be of type object";
    for (String text : new String[] {"title", "body", "channelId", "sound", "subtitle"})
      if (message.has(text) && !message.path(text).isString()) return text + "\" must be a string";
    return null;
  }

  private JsonNode ticket(String token, JsonNode message) {
    ExpoError error = ticketErrors.get(token);
    if (error == null && !TOKEN.matcher(token).matches()) {
      ObjectNode ticket = JSON.createObjectNode();
      ticket.put("status", "error");
      ticket.put("message", "\"" + token + "\" is not a valid Expo push token");
      ticket.putObject("details").put("error", "DeviceNotRegistered").put("expoPushToken", token);
      return ticket;
    }
    if (error == null && JSON.writeValueAsBytes(message).length > MAX_PAYLOAD_BYTES)
      error = ExpoError.MESSAGE_TOO_BIG;
    if (error != null) return errorTicket(error, token);
    String id = UUID.randomUUID().toString();
    tickets.put(id, token);
    if (recording) received.add(new ReceivedExpoMessage(token, id, message));
    ObjectNode ticket = ok();
    ticket.put("id", id);
    return ticket;
  }

  private static ObjectNode ok() {
    ObjectNode ok = JSON.createObjectNode();
    ok.put("status", "ok");
    return ok;
  }

  private static ObjectNode errorTicket(ExpoError error, String token) {
    ObjectNode ticket = JSON.createObjectNode();
    ticket.put("status", "error");
    ticket.put(
        "message",
        error == ExpoError.DEVICE_NOT_REGISTERED
            ? "\"" + token + "\" " + error.message
            : error.message);
    ObjectNode details = ticket.putObject("details").put("error", error.code);
    if (error == ExpoError.DEVICE_NOT_REGISTERED) details.put("expoPushToken", token);
    return ticket;
  }

  private boolean withinRate(int recipients) {
    int limit = messagesPerSecond;
    if (limit <= 0) return true;
    synchronized (this) {
      long now = System.currentTimeMillis();
      Window w = window;
      w =
          now - w.startMillis() >= 1000
              ? new Window(now, recipients)
              : new Window(w.startMillis(), w.count() + recipients);
      if (w.count() > limit) return false;
      window = w;
      return true;
    }
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode error = JSON.createObjectNode();
    error.put("code", code);
    error.put("message", message);
    error.put(
        "isTransient", code.equals("TOO_MANY_REQUESTS") || code.equals("INTERNAL_SERVER_ERROR"));
    return error;
  }

  private static MockResponse errors(int status, boolean gzip, JsonNode errors) {
    ObjectNode body = JSON.createObjectNode();
    if (errors.isArray()) body.set("errors", errors);
    else body.putArray("errors").add(errors);
    return json(status, gzip, body);
  }

  private MockResponse withRetryAfter(MockResponse response) {
    return new MockResponse.Builder(response)
        .setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())))
        .build();
  }

  static MockResponse json(int status, boolean gzip, JsonNode body) {
    byte[] bytes = JSON.writeValueAsBytes(body);
    MockResponse.Builder response =
        new MockResponse.Builder()
            .code(status)
            .setHeader("Content-Type", "application/json; charset=utf-8");
    if (gzip && bytes.length > 1024) {
      response.setHeader("Content-Encoding", "gzip");
      bytes = gzip(bytes);
    }
    return response.body(new Buffer().write(bytes)).build();
  }

  private static byte[] gunzip(byte[] bytes) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
