package dev.herald.testkit.twilio;

import dev.herald.testkit.LoopbackTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A loopback Twilio over TLS. {@link #endpoint()} replaces {@code https://api.twilio.com}.
 *
 * <p>{@code POST /2010-04-01/Accounts/{sid}/Messages.json} needs HTTP basic auth with the account
 * sid and auth token (401, error 20003, otherwise) and a form with {@code To} (E.164, else 21211),
 * {@code From} or {@code MessagingServiceSid} (else 21603) and {@code Body} (else 21602, and at
 * most 1600 characters, else 21617); it answers 201 with a fresh {@code SM…} sid and status {@code
 * queued}. Errors can be set per recipient ({@link #fail}), and whole requests made to answer 429
 * or 503 ({@link #tooManyRequests}, {@link #failNextRequests}).
 *
 * <p>{@link #statusCallback} makes the callback Twilio would send for a message, signed with the
 * auth token. Thread-safe; close it to free the port.
 */
public final class TwilioMock implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  private record Fault(int status, int code, String message) {}

  private final String accountSid;
  private final String authToken;
  private final MockWebServer server = new MockWebServer();
  private final LoopbackTls tls = new LoopbackTls();
  private final Queue<TwilioMessage> requests = new ConcurrentLinkedQueue<>();
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final AtomicInteger tooManyRequests = new AtomicInteger();
  private final AtomicInteger serverErrors = new AtomicInteger();
  private volatile Duration retryAfter = Duration.ofSeconds(2);

  private TwilioMock(String accountSid, String authToken) throws IOException {
    this.accountSid = accountSid;
    this.authToken = authToken;
    server.useHttps(tls.server.sslSocketFactory());
    server.setDispatcher(new Router());
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  /** A mock for one account: {@code accountSid} is AC and 32 hex digits. */
  public static TwilioMock start(String accountSid, String authToken) {
    try {
      return new TwilioMock(accountSid, authToken);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A random account sid, AC and 32 hex digits. */
  public static String newAccountSid() {
    return "AC" + UUID.randomUUID().toString().replace("-", "");
  }

  public URI endpoint() {
    return URI.create(
        "https://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort());
  }

  public SSLContext clientSslContext() {
    return tls.clientContext();
  }

  /** Messages to {@code to} answer {@code status} with Twilio error {@code code}. */
  public void fail(String to, int status, int code, String message) {
    faults.put(to, new Fault(status, code, message));
  }

  /** The next {@code n} requests answer 429 (error 20429) with {@link #retryAfter}. */
  public void tooManyRequests(int n) {
    tooManyRequests.set(n);
  }

  /** The next {@code n} requests answer 503. */
  public void failNextRequests(int n) {
    serverErrors.set(n);
  }

  public void retryAfter(Duration d) {
    retryAfter = d;
  }

  /** Every create request, accepted or not, in arrival order. */
  public List<TwilioMessage> requests() {
    return List.copyOf(requests);
  }

  /** The accepted messages, in arrival order. */
  public List<TwilioMessage> messages() {
    return requests.stream().filter(m -> m.sid() != null).toList();
  }

  /**
   * The callback Twilio would send when {@code message} reaches {@code status}; {@code errorCode}
   * may be null.
   */
  public StatusCallback statusCallback(TwilioMessage message, String status, String errorCode) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("AccountSid", accountSid);
    params.put("ApiVersion", "2010-04-01");
    params.put("From", message.field("From") == null ? "+15005550006" : message.field("From"));
    params.put("MessageSid", message.sid());
    params.put("SmsSid", message.sid());
    params.put("SmsStatus", status);
    params.put("MessageStatus", status);
    params.put("To", message.to());
    if (errorCode != null) params.put("ErrorCode", errorCode);
    String url = message.statusCallback();
    return new StatusCallback(url, params, signature(authToken, url, params));
  }

  /**
   * Twilio's request signature: HMAC-SHA1 with the auth token over the URL followed by each POST
   * parameter, sorted by name, as name then value; base64.
   */
  public static String signature(String authToken, String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }

  private final class Router extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      server.takeRequest(0, TimeUnit.NANOSECONDS);
      String path = request.getUrl().encodedPath();
      if (!path.equals("/2010-04-01/Accounts/" + accountSid + "/Messages.json"))
        return error(404, 20404, "The requested resource " + path + " was not found");
      if (!"POST".equals(request.getMethod())) return error(405, 20004, "Method not allowed");
      String expected =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
      String authorization = request.getHeaders().get("Authorization");
      String contentType = request.getHeaders().get("Content-Type");
      Map<String, List<String>> form =
          decode(request.getBody() == null ? "" : request.getBody().utf8());
      if (!expected.equals(authorization)) {
        requests.add(new TwilioMessage(null, accountSid, authorization, contentType, form));
        return error(401, 20003, "Authenticate");
      }
      if (tooManyRequests.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        requests.add(new TwilioMessage(null, accountSid, authorization, contentType, form));
        return new MockResponse.Builder(error(429, 20429, "Too Many Requests"))
            .setHeader("Retry-After", retryAfter.toSeconds())
            .build();
      }
      if (serverErrors.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        requests.add(new TwilioMessage(null, accountSid, authorization, contentType, form));
        return error(503, 20500, "Service Unavailable");
      }
      TwilioMessage probe = new TwilioMessage(null, accountSid, authorization, contentType, form);
      MockResponse refused = validate(probe, contentType);
      if (refused != null) {
        requests.add(probe);
        return refused;
      }
      String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
      requests.add(new TwilioMessage(sid, accountSid, authorization, contentType, form));
      ObjectNode body =
          JSON.createObjectNode()
              .put("sid", sid)
              .put("account_sid", accountSid)
              .put("to", probe.to())
              .put("from", probe.field("From"))
              .put("messaging_service_sid", probe.field("MessagingServiceSid"))
              .put("body", probe.body())
              .put("status", "queued")
              .put("num_segments", "1")
              .put("api_version", "2010-04-01");
      return json(201, body);
    }

    private MockResponse validate(TwilioMessage m, String contentType) {
      if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded"))
        return error(400, 20001, "Content-Type must be application/x-www-form-urlencoded");
      if (m.to() == null) return error(400, 21604, "A 'To' phone number is required.");
      if (!E164.matcher(m.to()).matches())
        return error(400, 21211, "The 'To' number " + m.to() + " is not a valid phone number.");
      if (m.field("From") == null && m.field("MessagingServiceSid") == null)
        return error(
            400,
            21603,
            "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
      if (m.body() == null || m.body().isEmpty())
        return error(400, 21602, "Message body is required.");
      if (m.body().length() > 1600)
        return error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
      Fault f = faults.get(m.to());
      return f == null ? null : error(f.status(), f.code(), f.message());
    }

    private MockResponse error(int status, int code, String message) {
      ObjectNode body =
          JSON.createObjectNode()
              .put("code", code)
              .put("message", message)
              .put("more_info", "https://www.twilio.com/docs/errors/" + code)
              .put("status", status);
      return json(status, body);
    }

    private MockResponse json(int status, ObjectNode body) {
      return new MockResponse.Builder()
          .code(status)
          .setHeader("Content-Type", "application/json")
          .body(new Buffer().writeUtf8(body.toString()))
          .build();
    }
  }

  static Map<String, List<String>> decode(String form) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (form.isEmpty()) return out;
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }
}
