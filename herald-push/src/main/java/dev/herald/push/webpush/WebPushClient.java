package dev.herald.push.webpush;

import dev.herald.push.PushMessage;
import dev.herald.push.PushResult;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Web Push messages (RFC 8030) encrypted with {@code aes128gcm} (RFC 8291) and authorized
 * with VAPID (RFC 8292) to subscription endpoints.
 *
 * <p>Each message is a POST to its subscription's endpoint carrying {@code TTL} (the message ttl in
 * seconds), {@code Urgency} (from its priority), {@code Topic} (from its collapse key), {@code
 * Content-Encoding: aes128gcm}, {@code Content-Type: application/octet-stream} and {@code
 * Authorization: vapid t=…, k=…}; the plaintext is the JSON described in {@link WebPushPayload}.
 *
 * <p>Long-lived and thread-safe: build one and share it. Sends are asynchronous; up to {@code
 * maxConcurrentRequests} are in flight at once (the rest wait their turn), multiplexed over HTTP/2
 * where the push service speaks it. Futures never complete exceptionally: every outcome, including
 * a malformed subscription, a too-large payload, a closed client or a network failure, is a {@link
 * PushResult}. Endpoints are sent to as given: allow-listing them is the caller's job.
 */
public final class WebPushClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebPushClient.class);

  private final PushTransport transport;
  private final PayloadEncryption encryption;
  private final Vapid vapid;
  private final InFlightLimit limit;
  private final Clock clock;
  private final CryptoSuite crypto;
  private final VapidKeys keys;
  private volatile boolean closed;

  private WebPushClient(Builder b, PushTransport transport) throws GeneralSecurityException {
    this.transport = transport;
    this.crypto = b.crypto;
    this.keys = b.keys;
    this.clock = b.clock;
    this.encryption = new PayloadEncryption(b.crypto, new SecureRandom());
    this.vapid = new Vapid(b.keys, b.subject, b.vapidTokenLifetime, b.clock, b.crypto);
    this.limit = new InFlightLimit(b.maxConcurrentRequests);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Sends one message; the future completes with what the push service said. */
  public CompletableFuture<PushResult> send(WebPushSubscription subscription, PushMessage message) {
    Objects.requireNonNull(message, "message");
    return send(subscription, message, WebPushPayload.encode(message));
  }

  /** Sends a batch; the future completes with one result per request, in order. */
  public CompletableFuture<List<PushResult>> send(List<WebPushRequest> batch) {
    Objects.requireNonNull(batch, "batch");
    // A fan-out sends one message to many subscriptions: encode its JSON once.
    Map<PushMessage, byte[]> payloads = new IdentityHashMap<>();
    List<CompletableFuture<PushResult>> results = new ArrayList<>(batch.size());
    for (WebPushRequest request : batch) {
      byte[] payload = payloads.computeIfAbsent(request.message(), WebPushPayload::encode);
      results.add(send(request.subscription(), request.message(), payload));
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
  }

  private CompletableFuture<PushResult> send(
      WebPushSubscription subscription, PushMessage message, byte[] payload) {
    Objects.requireNonNull(subscription, "subscription");
    if (closed)
      return CompletableFuture.completedFuture(new PushResult.Retry("client closed", null));
    Prepared prepared;
    try {
      prepared = prepare(subscription, message, payload);
    } catch (Rejection r) {
      return CompletableFuture.completedFuture(r.result);
    }
    CompletableFuture<PushResult> result = new CompletableFuture<>();
    limit.submit(() -> post(prepared, result));
    return result;
  }

  /** The VAPID public key browsers pass as {@code applicationServerKey}, base64url. */
  public String vapidPublicKey() {
    return keys.publicKeyBase64Url();
  }

  /** Which crypto providers this client uses. */
  public CryptoSuite crypto() {
    return crypto;
  }

  /** Stops sending: later sends answer Retry; in-flight requests are abandoned and answer Retry. */
  @Override
  public void close() {
    closed = true;
    transport.close();
  }

  private record Prepared(URI endpoint, List<String> headers, byte[] body) {}

  private static final class Rejection extends Exception {
    final PushResult result;

    Rejection(PushResult result) {
      super(null, null, false, false);
      this.result = result;
    }
  }

  private Prepared prepare(WebPushSubscription subscription, PushMessage message, byte[] payload)
      throws Rejection {
    WebPushSubscription.Parsed target;
    try {
      target = subscription.parse();
    } catch (IllegalArgumentException e) {
      throw new Rejection(new PushResult.Rejected("invalid subscription: " + e.getMessage(), true));
    }
    if (payload.length > WebPushPayload.MAX_PAYLOAD_BYTES)
      throw new Rejection(
          new PushResult.Rejected(
              "payload too large: "
                  + payload.length
                  + " bytes of JSON, at most "
                  + WebPushPayload.MAX_PAYLOAD_BYTES,
              false));
    try {
      byte[] body = encryption.encrypt(payload, target.point(), target.p256dh(), target.auth());
      List<String> headers = new ArrayList<>(10);
      headers.add("TTL");
      headers.add(WebPushHeaders.ttl(message.ttl()));
      headers.add("Urgency");
      headers.add(WebPushHeaders.urgency(message.priority()));
      String topic = WebPushHeaders.topic(message.collapseKey());
      if (topic != null) {
        headers.add("Topic");
        headers.add(topic);
      }
      headers.add("Content-Encoding");
      headers.add("aes128gcm");
      headers.add("Authorization");
      headers.add(vapid.authorization(target.endpoint()));
      return new Prepared(target.endpoint(), headers, body);
    } catch (GeneralSecurityException | RuntimeException e) {
      log.warn("Web Push message could not be prepared", e);
      throw new Rejection(new PushResult.Retry("encryption or signing failed: " + e, null));
    }
  }

  private void post(Prepared prepared, CompletableFuture<PushResult> result) {
    CompletableFuture<PushTransport.Answer> answer;
    try {
      answer = transport.post(prepared.endpoint(), prepared.headers(), prepared.body());
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (a, failure) -> {
          try {
            result.complete(
                failure != null
                    ? WebPushResponses.fromFailure(failure)
                    : WebPushResponses.fromResponse(
                        a.status(), a.location(), a.retryAfter(), a.body(), clock.instant()));
          } finally {
            limit.release();
          }
        });
  }

  /**
   * Configures a {@link WebPushClient}. Required: {@link #vapidKeys} and {@link #subject}; the rest
   * has defaults. Not thread-safe; {@link #build()} validates everything.
   */
  public static final class Builder {
    private VapidKeys keys;
    private String subject;
    private CryptoSuite crypto;
    private SSLContext sslContext;
    private Duration connectTimeout = Duration.ofSeconds(10);
    // Push services answer in well under a second; 30 s leaves room for a slow one under load.
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxConcurrentRequests = 1000;
    // HTTP/2 uses one connection per push service until its stream limit; HTTP/1.1 needs more.
    private int maxConnectionsPerOrigin = 16;
    // Renewed at half-life: a fresh token is never older than 6 h, well inside the 24 h cap.
    private Duration vapidTokenLifetime = Duration.ofHours(12);
    private Clock clock = Clock.systemUTC();
    private boolean cleartextHttp2;
    private PushTransport transport;

    private Builder() {}

    /** The application server's VAPID key pair. Required. */
    public Builder vapidKeys(VapidKeys keys) {
      this.keys = keys;
      return this;
    }

    /** The VAPID {@code sub}: a {@code mailto:} or {@code https:} contact URI. Required. */
    public Builder subject(String subject) {
      this.subject = subject;
      return this;
    }

    /** The crypto providers; default {@link CryptoSuite#fastest()}. */
    public Builder crypto(CryptoSuite crypto) {
      this.crypto = crypto;
      return this;
    }

    /** TLS settings, e.g. to trust a test push service; default the JVM's. */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** The whole exchange, queueing at the push service included; then Retry. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** Requests in flight at once across all push services; default 1000. */
    public Builder maxConcurrentRequests(int max) {
      this.maxConcurrentRequests = max;
      return this;
    }

    /** Connections per push-service origin; default 16 (HTTP/2 rarely needs more than one). */
    public Builder maxConnectionsPerOrigin(int max) {
      this.maxConnectionsPerOrigin = max;
      return this;
    }

    /** How long a VAPID JWT is valid (more than a minute, at most 24 h); default 12 h. */
    public Builder vapidTokenLifetime(Duration lifetime) {
      this.vapidTokenLifetime = lifetime;
      return this;
    }

    /** The clock for JWT expiry and {@code Retry-After} dates; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Speak HTTP/2 without TLS (h2c, prior knowledge) to {@code http://} endpoints, as loopback
     * test services may; default off: plain-HTTP endpoints get HTTP/1.1.
     */
    public Builder cleartextHttp2(boolean enabled) {
      this.cleartextHttp2 = enabled;
      return this;
    }

    /** Another HTTP client in place of Jetty's: for comparing clients in benchmarks. */
    Builder transport(PushTransport transport) {
      this.transport = transport;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first missing or invalid setting
     */
    public WebPushClient build() {
      if (keys == null) throw new IllegalArgumentException("vapidKeys is required");
      if (subject == null || !(subject.startsWith("mailto:") || subject.startsWith("https:")))
        throw new IllegalArgumentException(
            "VAPID subject must be a mailto: or https: URI, got " + subject);
      if (subject.length() <= "mailto:".length() || subject.strip().length() != subject.length())
        throw new IllegalArgumentException("VAPID subject is incomplete: " + subject);
      positive(connectTimeout, "connectTimeout");
      positive(requestTimeout, "requestTimeout");
      positive(vapidTokenLifetime, "vapidTokenLifetime");
      if (vapidTokenLifetime.compareTo(Duration.ofMinutes(1)) <= 0
          || vapidTokenLifetime.compareTo(Vapid.MAX_LIFETIME) > 0)
        throw new IllegalArgumentException(
            "vapidTokenLifetime must be more than 1 minute and at most 24 hours");
      if (maxConcurrentRequests < 1)
        throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
      if (maxConnectionsPerOrigin < 1)
        throw new IllegalArgumentException("maxConnectionsPerOrigin must be at least 1");
      Objects.requireNonNull(clock, "clock");
      if (crypto == null) crypto = CryptoSuite.fastest();
      PushTransport http =
          transport != null
              ? transport
              : new JettyTransport(
                  sslContext,
                  connectTimeout,
                  requestTimeout,
                  maxConnectionsPerOrigin,
                  maxConcurrentRequests,
                  cleartextHttp2);
      try {
        WebPushClient client = new WebPushClient(this, http);
        log.info(
            "Web Push client ready: crypto {}, VAPID key {}, subject {}",
            crypto.name(),
            keys.publicKeyBase64Url(),
            subject);
        return client;
      } catch (GeneralSecurityException | RuntimeException e) {
        http.close();
        throw new IllegalArgumentException("VAPID private key is unusable with " + crypto, e);
      }
    }

    private static void positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero())
        throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
