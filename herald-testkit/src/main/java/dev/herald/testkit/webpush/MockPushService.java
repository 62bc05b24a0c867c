package dev.herald.testkit.webpush;

import dev.herald.testkit.webpush.Aes128GcmReceiver.DecryptionException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A Web Push service on loopback (RFC 8030 receiving side) for tests and benchmarks.
 *
 * <p>It mints subscriptions ({@link #subscribe()}) whose endpoints point at itself and whose keys
 * are real, and for each POST to one of them it checks what a push service and a browser would: the
 * VAPID {@code Authorization} (ES256 JWT verified with the {@code k=} key, {@code aud} equal to
 * {@link #origin()}, {@code exp} in the future and at most 24 h ahead; missing → 401, invalid →
 * 403), {@code Content-Encoding: aes128gcm} (else 415), a {@code TTL} header (else 400), a body of
 * at most 4096 bytes (else 413), and that the body decrypts under RFC 8291 (else 400). Accepted
 * messages are answered 201 with a {@code Location} and recorded in {@link #received()}; refused
 * ones in {@link #refused()}. {@link #answer} makes a subscription answer a chosen status instead,
 * and {@link #latency} delays every answer.
 *
 * <p>Starts on an ephemeral port of 127.0.0.1, over TLS (HTTP/2 and HTTP/1.1 by ALPN, or HTTP/1.1
 * only, with a self-signed certificate that {@link #clientSslContext()} trusts) or plain HTTP/1.1
 * or h2c. Thread-safe; close it when done.
 */
public final class MockPushService implements Closeable {
  private static final int MAX_BODY = 4096;

  private final MockWebServer server = new MockWebServer();
  private final Mode mode;
  private final boolean decrypt;
  private final SSLContext clientSslContext;
  private final String origin;
  private final VapidVerifier vapid;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, MockSubscription> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, MockAnswer> answers = new ConcurrentHashMap<>();
  private final Queue<ReceivedPush> received = new ConcurrentLinkedQueue<>();
  private final Queue<Refusal> refused = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong latencyNanos = new AtomicLong();

  /** How the mock listens. */
  public enum Mode {
    /** TLS, HTTP/2 or HTTP/1.1 by ALPN: like real push services. */
    TLS,
    /** TLS offering only HTTP/1.1 by ALPN: for clients that must fall back. */
    TLS_HTTP1,
    /** Clear-text HTTP/1.1. */
    PLAIN_HTTP1,
    /** Clear-text HTTP/2 with prior knowledge (h2c). */
    PLAIN_H2C
  }

  private MockPushService(Builder b) {
    this.mode = b.mode;
    this.decrypt = b.decrypt;
    this.clock = b.clock;
    boolean tls = mode == Mode.TLS || mode == Mode.TLS_HTTP1;
    if (tls) {
      HeldCertificate certificate =
          new HeldCertificate.Builder()
              .commonName("localhost")
              .addSubjectAlternativeName("localhost")
              .addSubjectAlternativeName("127.0.0.1")
              .build();
      HandshakeCertificates serverCertificates =
          new HandshakeCertificates.Builder().heldCertificate(certificate).build();
      server.useHttps(serverCertificates.sslSocketFactory());
      server.setProtocols(
          mode == Mode.TLS
              ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)
              : List.of(Protocol.HTTP_1_1));
      clientSslContext =
          new HandshakeCertificates.Builder()
              .addTrustedCertificate(certificate.certificate())
              .build()
              .sslContext();
    } else {
      server.setProtocols(
          List.of(mode == Mode.PLAIN_H2C ? Protocol.H2_PRIOR_KNOWLEDGE : Protocol.HTTP_1_1));
      clientSslContext = null;
    }
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return handle(request);
          }
        });
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the mock push service", e);
    }
    origin = (tls ? "https" : "http") + "://127.0.0.1:" + server.getPort();
    vapid = new VapidVerifier(origin, clock);
  }

  /** A TLS mock (HTTP/2 and HTTP/1.1) that decrypts everything: what most tests want. */
  public static MockPushService start() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code scheme://127.0.0.1:port}: the {@code aud} VAPID JWTs must name. */
  public String origin() {
    return origin;
  }

  public Mode mode() {
    return mode;
  }

  /** Trusts the mock's certificate; null for the clear-text modes. */
  public SSLContext clientSslContext() {
    return clientSslContext;
  }

  /** A new subscription that takes messages signed with any VAPID key. */
  public MockSubscription subscribe() {
    return subscribe(null);
  }

  /**
   * A new subscription restricted to one VAPID public key (base64url), as a browser's {@code
   * applicationServerKey} makes it: messages authorized with another key get 403.
   */
  public MockSubscription subscribe(String applicationServerKey) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      byte[] auth = new byte[16];
      random.nextBytes(auth);
      String id = UUID.randomUUID().toString();
      MockSubscription subscription =
          new MockSubscription(
              id,
              origin + "/push/" + id,
              keys,
              uncompressed((ECPublicKey) keys.getPublic()),
              auth,
              applicationServerKey);
      subscriptions.put(id, subscription);
      return subscription;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is not available", e);
    }
  }

  /** From now on, answer every message for {@code subscription} with {@code answer}. */
  public void answer(MockSubscription subscription, MockAnswer answer) {
    answers.put(subscription.id(), answer);
  }

  /** Accept messages for {@code subscription} again. */
  public void clearAnswer(MockSubscription subscription) {
    answers.remove(subscription.id());
  }

  /** Delays every answer by {@code latency} (zero for none). */
  public void latency(Duration latency) {
    latencyNanos.set(latency.toNanos());
  }

  /** Accepted messages, in arrival order. */
  public List<ReceivedPush> received() {
    return List.copyOf(received);
  }

  /** Accepted messages sent to {@code subscription}. */
  public List<ReceivedPush> received(MockSubscription subscription) {
    List<ReceivedPush> out = new ArrayList<>();
    for (ReceivedPush push : received)
      if (push.subscriptionId().equals(subscription.id())) out.add(push);
    return out;
  }

  /** Requests answered with an error, in arrival order. */
  public List<Refusal> refused() {
    return List.copyOf(refused);
  }

  /** All requests seen, accepted or not. */
  public int requestCount() {
    return requests.get();
  }

  /** Forgets what was received and refused (subscriptions and answers stay). */
  public void reset() {
    received.clear();
    refused.clear();
    requests.set(0);
  }

  @Override
  public void close() {
    server.close();
  }

  private MockResponse handle(RecordedRequest request) {
    requests.incrementAndGet();
    String path = request.getUrl().encodedPath();
    String id = path.startsWith("/push/") ? path.substring("/push/".length()) : path;
    MockSubscription subscription = subscriptions.get(id);
    if (!"POST".equals(request.getMethod()))
      return refuse(id, 405, "method " + request.getMethod());
    if (subscription == null) return refuse(id, 404, "no such subscription");
    MockAnswer injected = answers.get(id);
    if (injected != null) {
      refused.add(new Refusal(id, injected.status(), "injected"));
      MockResponse.Builder response = new MockResponse.Builder().code(injected.status());
      if (injected.retryAfter() != null) response.setHeader("Retry-After", injected.retryAfter());
      return delayed(response.body(injected.body()));
    }
    VapidVerifier.Verified auth;
    try {
      auth = vapid.verify(request.getHeaders().get("Authorization"));
    } catch (VapidVerifier.Failure f) {
      return refuse(id, f.status, f.getMessage());
    }
    if (subscription.applicationServerKey() != null
        && !subscription.applicationServerKey().equals(auth.publicKey()))
      return refuse(id, 403, "VAPID key differs from the subscription's applicationServerKey");
    if (!"aes128gcm".equals(request.getHeaders().get("Content-Encoding")))
      return refuse(id, 415, "Content-Encoding must be aes128gcm");
    String ttl = request.getHeaders().get("TTL");
    if (ttl == null || !ttl.matches("\\d+"))
      return refuse(id, 400, "TTL header missing or invalid");
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    if (body.length > MAX_BODY) return refuse(id, 413, "body of " + body.length + " bytes");
    byte[] payload = null;
    if (decrypt) {
      try {
        payload =
            Aes128GcmReceiver.decrypt(
                body,
                subscription.privateKey(),
                subscription.publicKeyBytes(),
                subscription.authBytes());
      } catch (DecryptionException e) {
        return refuse(id, 400, e.getMessage());
      }
    }
    received.add(
        new ReceivedPush(
            id,
            payload,
            ttl,
            request.getHeaders().get("Urgency"),
            request.getHeaders().get("Topic"),
            request.getHeaders().get("Content-Encoding"),
            request.getHeaders().get("Content-Type"),
            auth.subject(),
            auth.jwt(),
            auth.publicKey(),
            request.getVersion(),
            body.length,
            clock.instant()));
    return delayed(
        new MockResponse.Builder()
            .code(201)
            .setHeader("Location", origin + "/message/" + UUID.randomUUID()));
  }

  private MockResponse refuse(String id, int status, String reason) {
    refused.add(new Refusal(id, status, reason));
    MockResponse.Builder response = new MockResponse.Builder().code(status).body(reason);
    if (status == 401) response.setHeader("WWW-Authenticate", "vapid");
    return delayed(response);
  }

  private MockResponse delayed(MockResponse.Builder response) {
    long delay = latencyNanos.get();
    if (delay > 0) response.headersDelay(delay, TimeUnit.NANOSECONDS);
    return response.build();
  }

  private static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    copy32(key.getW().getAffineX().toByteArray(), out, 1);
    copy32(key.getW().getAffineY().toByteArray(), out, 33);
    return out;
  }

  private static void copy32(byte[] raw, byte[] out, int offset) {
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, out, offset + 32 - length, length);
  }

  /** Configures a {@link MockPushService}; {@link #build()} starts it. */
  public static final class Builder {
    private Mode mode = Mode.TLS;
    private boolean decrypt = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder mode(Mode mode) {
      this.mode = mode;
      return this;
    }

    /**
     * Whether to decrypt bodies (default true). Off, VAPID is still verified and messages recorded
     * without payload: for load tests where the receiver's crypto should not be the bottleneck.
     */
    public Builder decrypt(boolean decrypt) {
      this.decrypt = decrypt;
      return this;
    }

    /** The clock JWT expiry is checked against. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public MockPushService build() {
      if (mode == null || clock == null)
        throw new IllegalArgumentException("mode and clock are required");
      return new MockPushService(this);
    }
  }
}
