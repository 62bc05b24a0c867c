package dev.herald.testkit.apns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import okio.ByteString;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A loopback APNs for tests and benchmarks: HTTP/2 over TLS (ALPN h2) on 127.0.0.1 and a free port,
 * with a self-signed certificate the client must be told to trust ({@link #certificate()}).
 *
 * <p>It checks each request as APNs does — {@code POST /3/device/<hex token>}, a provider token
 * signed by a registered key ({@code kid}, {@code iss}, {@code iat} within the hour), an allowed
 * {@code apns-topic}, well-formed {@code apns-*} headers, a non-empty payload of at most 4096 bytes
 * — and answers 200 with an {@code apns-id}, or APNs' status and {@code {"reason":…}}. Tests can
 * make it refuse tokens, fail the next requests, or answer slowly, and read back what it received.
 *
 * <p>Thread-safe: behaviour can change while requests are in flight. {@link #close()} stops it.
 */
public final class ApnsMock implements AutoCloseable {
  // MockWebServer logs every request, and OkHttp every connection a client drops, at INFO.
  // Strong references: java.util.logging forgets levels set on collected loggers.
  private static final List<Logger> QUIETED =
      List.of(
          Logger.getLogger(MockWebServer.class.getName()),
          Logger.getLogger("okhttp3.OkHttpClient"));

  static {
    QUIETED.forEach(log -> log.setLevel(Level.WARNING));
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final MockWebServer server = new MockWebServer();
  private final HeldCertificate certificate;
  private final ApnsRequestCheck check;
  private final boolean recording;
  private final ConcurrentLinkedQueue<ApnsMockRequest> received = new ConcurrentLinkedQueue<>();
  private final Set<Integer> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final Map<String, Answer> tokenAnswers = new ConcurrentHashMap<>();
  private final AtomicReference<Failure> failure = new AtomicReference<>();
  private volatile Duration latency = Duration.ZERO;

  record Answer(int status, String reason, Instant timestamp, Duration retryAfter) {
    static final Answer OK = new Answer(200, null, null, null);
  }

  private record Failure(AtomicInteger remaining, Answer answer) {}

  private ApnsMock(Builder builder) {
    this.certificate =
        new HeldCertificate.Builder()
            .commonName("localhost")
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("127.0.0.1")
            .build();
    this.check =
        new ApnsRequestCheck(
            new ProviderTokenCheck(Map.copyOf(builder.keys), builder.clock),
            Set.copyOf(builder.topics));
    this.recording = builder.recording;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** 127.0.0.1, which the certificate names. */
  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return server.getPort();
  }

  /** {@code https://127.0.0.1:<port>}. */
  public URI uri() {
    return URI.create("https://" + host() + ":" + port());
  }

  /** The self-signed server certificate to trust (valid for 127.0.0.1 and localhost). */
  public X509Certificate certificate() {
    return certificate.certificate();
  }

  public String certificatePem() {
    return certificate.certificatePem();
  }

  /** From now on, answer requests for {@code token} with 400 and {@code reason}. */
  public ApnsMock rejectToken(String token, String reason) {
    tokenAnswers.put(token, new Answer(400, reason, null, null));
    return this;
  }

  /** From now on, answer requests for {@code token} with 410 Unregistered and {@code since}. */
  public ApnsMock unregisterToken(String token, Instant since) {
    tokenAnswers.put(token, new Answer(410, "Unregistered", since, null));
    return this;
  }

  /** Answer the next {@code count} valid requests with {@code status} and {@code reason}. */
  public ApnsMock failNext(int count, int status, String reason) {
    return failNext(count, status, reason, null);
  }

  /** As {@link #failNext(int, int, String)}, adding {@code Retry-After} when not null. */
  public ApnsMock failNext(int count, int status, String reason, Duration retryAfter) {
    failure.set(
        new Failure(new AtomicInteger(count), new Answer(status, reason, null, retryAfter)));
    return this;
  }

  /** Wait this long before answering each request (default none). */
  public ApnsMock latency(Duration latency) {
    this.latency = latency;
    return this;
  }

  /** Back to accepting every valid request at once; what was received is kept. */
  public void resetBehaviour() {
    tokenAnswers.clear();
    failure.set(null);
    latency = Duration.ZERO;
  }

  /**
   * What was received so far, in arrival order (empty when built with {@code recording(false)}).
   */
  public List<ApnsMockRequest> requests() {
    return new ArrayList<>(received);
  }

  /** The provider tokens received, in order of first use. */
  public List<String> jwts() {
    Set<String> seen = new LinkedHashSet<>();
    for (ApnsMockRequest r : received) if (r.jwt() != null) seen.add(r.jwt());
    return new ArrayList<>(seen);
  }

  public int requestCount() {
    return requestCount.get();
  }

  /** How many TLS connections have carried requests. */
  public int connectionCount() {
    return connections.size();
  }

  /** Forgets what was received: the requests, their count and the connections seen. */
  public void clearRequests() {
    received.clear();
    requestCount.set(0);
    connections.clear();
  }

  @Override
  public void close() {
    server.close();
  }

  private ApnsMock start() {
    server.useHttps(
        new HandshakeCertificates.Builder()
            .heldCertificate(certificate)
            .build()
            .sslSocketFactory());
    server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    server.setDispatcher(new ApnsDispatcher());
    try {
      server.start(InetAddress.getByName(host()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the APNs mock", e);
    }
    return this;
  }

  private Answer decide(String token) {
    Failure f = failure.get();
    if (f != null && f.remaining().getAndDecrement() > 0) return f.answer();
    return tokenAnswers.getOrDefault(token, Answer.OK);
  }

  private final class ApnsDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      // MockWebServer queues every request for takeRequest(); this mock keeps its own record.
      server.takeRequest(0, TimeUnit.NANOSECONDS);
      requestCount.incrementAndGet();
      connections.add(request.getConnectionIndex());
      ApnsRequestCheck.Checked checked = check.check(request);
      Answer answer = checked.refusal() != null ? checked.refusal() : decide(checked.token());
      String apnsId = checked.apnsId();
      if (recording) record(request, checked, answer);
      MockResponse.Builder response = new MockResponse.Builder().code(answer.status());
      response.addHeader("apns-id", apnsId);
      if (answer.reason() != null) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", answer.reason());
        if (answer.timestamp() != null) body.put("timestamp", answer.timestamp().toEpochMilli());
        response.addHeader("content-type", "application/json").body(JSON.writeValueAsString(body));
      }
      if (answer.retryAfter() != null)
        response.addHeader("retry-after", Long.toString(answer.retryAfter().toSeconds()));
      Duration delay = latency;
      if (!delay.isZero()) response.headersDelay(delay.toNanos(), TimeUnit.NANOSECONDS);
      return response.build();
    }

    private void record(RecordedRequest request, ApnsRequestCheck.Checked checked, Answer answer) {
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 0; i < request.getHeaders().size(); i++)
        headers.putIfAbsent(
            request.getHeaders().name(i).toLowerCase(java.util.Locale.ROOT),
            request.getHeaders().value(i));
      ByteString raw = request.getBody();
      String body = raw == null ? "" : raw.utf8();
      received.add(
          new ApnsMockRequest(
              request.getConnectionIndex(),
              checked.token(),
              Map.copyOf(headers),
              body,
              parse(body),
              checked.jwt(),
              answer.status(),
              answer.reason()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String body) {
      try {
        return JSON.readValue(body, Map.class);
      } catch (JacksonException | IllegalArgumentException e) {
        return null;
      }
    }
  }

  /** Which keys and topics the mock accepts. */
  public static final class Builder {
    private final Map<String, ApnsTeamKey> keys = new LinkedHashMap<>();
    private final Set<String> topics = new LinkedHashSet<>();
    private boolean recording = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Trust provider tokens signed by this key (its team and key id). */
    public Builder acceptKey(ApnsTeamKey key) {
      keys.put(key.keyId(), key);
      return this;
    }

    /** Accept this {@code apns-topic}; with none given, any topic is accepted. */
    public Builder topic(String... topics) {
      this.topics.addAll(List.of(topics));
      return this;
    }

    /** Keep every request for {@link #requests()} (default); off for long benchmarks. */
    public Builder recording(boolean recording) {
      this.recording = recording;
      return this;
    }

    /** The time against which token age is checked. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Starts the mock on a free port; at least one key must be accepted. */
    public ApnsMock start() {
      if (keys.isEmpty()) throw new IllegalStateException("accept at least one key");
      return new ApnsMock(this).start();
    }
  }
}
