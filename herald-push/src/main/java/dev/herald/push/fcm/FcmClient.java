package dev.herald.push.fcm;

import dev.herald.push.PushMessage;
import dev.herald.push.PushResult;
import dev.herald.push.RatePacer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Sends to FCM HTTP v1 ({@code POST /v1/projects/{project_id}/messages:send}) for one service
 * account, over HTTP/2 so hundreds of requests share a few connections. Build one per project with
 * {@link #builder()}, share it, {@link #close()} it at shutdown.
 *
 * <p>Each send answers exactly one {@link PushResult} and its future never fails: FCM's errors,
 * network failures and a token endpoint that refuses are all mapped ({@link FcmErrors}). Sends are
 * spaced to stay under the project's quota (they wait, never dropped), then at most {@code
 * maxConcurrentRequests} are in flight; the rest queue without holding threads. Futures complete on
 * the HTTP client's threads: don't block in their callbacks.
 *
 * <p>Thread-safe. After {@link #close()}, sends and sends still waiting answer {@link
 * PushResult.Retry}.
 */
public final class FcmClient implements AutoCloseable {
  private static final String JSON_UTF8 = "application/json; charset=UTF-8";
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final URI sendUri;
  private final String projectId;
  private final HttpClient http;
  private final boolean ownsHttp;
  private final AccessTokens tokens;
  private final RatePacer pacer;
  private final AsyncPermits permits;
  private final Clock clock;
  private final Duration requestTimeout;
  private final ScheduledExecutorService timer;
  private final ExecutorService background;
  private final Set<CompletableFuture<PushResult>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private FcmClient(Builder b, HttpClient http, boolean ownsHttp) {
    this.projectId = b.serviceAccount.projectId();
    this.sendUri =
        URI.create(b.endpoint + "/v1/projects/" + b.serviceAccount.projectId() + "/messages:send");
    this.http = http;
    this.ownsHttp = ownsHttp;
    this.clock = b.clock;
    this.requestTimeout = b.requestTimeout;
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("herald-fcm-pacer").factory());
    timer.setRemoveOnCancelPolicy(true);
    this.timer = timer;
    this.background =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("herald-fcm-", 0).factory());
    this.tokens = new AccessTokens(b.serviceAccount, b.sslContext, background);
    this.pacer =
        new RatePacer(
            b.maxMessagesPerMinute, Duration.ofMinutes(1), Builder.BURST, System::nanoTime);
    this.permits = new AsyncPermits(b.maxConcurrentRequests, background);
  }

  /** A builder; only the service account is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Sends one message; the future completes with its outcome and never exceptionally. */
  public CompletableFuture<PushResult> send(String token, PushMessage message) {
    Objects.requireNonNull(message, "message");
    if (closed) return CompletableFuture.completedFuture(closedResult());
    if (token == null || token.isBlank())
      return CompletableFuture.completedFuture(
          new PushResult.Rejected("INVALID_ARGUMENT: empty registration token", true));
    byte[] body;
    try {
      body = FcmMessages.toRequestBytes(token, message, clock.instant());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new PushResult.Rejected(
              "INVALID_ARGUMENT: the message cannot be encoded as JSON", false));
    }
    CompletableFuture<PushResult> result = new CompletableFuture<>();
    pending.add(result);
    result.whenComplete((r, f) -> pending.remove(result));
    Runnable go = () -> permits.acquire(() -> authorizeAndPost(body, result));
    long wait = pacer.reserve(1);
    if (wait == 0) go.run();
    else {
      try {
        timer.schedule(go, wait, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        result.complete(closedResult());
      }
    }
    return result;
  }

  /** Sends each message; the list answers one outcome per push, in order. */
  public CompletableFuture<List<PushResult>> send(List<FcmPush> pushes) {
    List<CompletableFuture<PushResult>> sends = new ArrayList<>(pushes.size());
    for (FcmPush push : pushes) sends.add(send(push.token(), push.message()));
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .thenApply(done -> sends.stream().map(CompletableFuture::join).toList());
  }

  /** The project this client sends for. */
  public String projectId() {
    return projectId;
  }

  private void authorizeAndPost(byte[] body, CompletableFuture<PushResult> result) {
    if (closed || result.isDone()) {
      permits.release();
      result.complete(closedResult());
      return;
    }
    tokens
        .authorization()
        .whenComplete(
            (authorization, failure) -> {
              if (failure != null) {
                permits.release();
                result.complete(FcmErrors.fromTokenFailure(failure));
              } else post(authorization, body, result);
            });
  }

  private void post(String authorization, byte[] body, CompletableFuture<PushResult> result) {
    try {
      http.newRequest(sendUri)
          .method(HttpMethod.POST)
          .headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization))
          .body(new BytesRequestContent(JSON_UTF8, body))
          .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .send(
              new BufferingResponseListener(MAX_ANSWER_BYTES) {
                @Override
                public void onComplete(Result outcome) {
                  permits.release();
                  result.complete(
                      outcome.isFailed()
                          ? FcmErrors.fromFailure(outcome.getFailure())
                          : FcmErrors.fromResponse(
                              outcome.getResponse().getStatus(),
                              getContent(),
                              outcome.getResponse().getHeaders().get(HttpHeader.RETRY_AFTER),
                              clock.instant()));
                }
              });
    } catch (RuntimeException e) {
      permits.release();
      result.complete(FcmErrors.fromFailure(e));
    }
  }

  private static PushResult closedResult() {
    return new PushResult.Retry("client closed", null);
  }

  /** Stops the HTTP client (if this client made it); waiting and in-flight sends answer Retry. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    if (ownsHttp) {
      try {
        http.stop();
      } catch (Exception e) {
        // stopping fails in-flight requests, which already map to Retry
      }
    }
    for (CompletableFuture<PushResult> result : List.copyOf(pending))
      result.complete(closedResult());
    background.shutdown();
  }

  /**
   * Options for an {@link FcmClient}, checked by {@link #build()}. Not thread-safe; a builder may
   * build several clients.
   */
  public static final class Builder {
    /** FCM's production endpoint. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://fcm.googleapis.com");

    /** FCM's default quota: 600,000 messages per minute per project. */
    public static final int DEFAULT_MAX_MESSAGES_PER_MINUTE = 600_000;

    /** Enough streams to keep a few HTTP/2 connections busy at loopback or WAN latency. */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 500;

    static final Duration BURST = Duration.ofMillis(100); // ≤ 0.2 % over the per-minute quota

    private FcmServiceAccount serviceAccount;
    private URI endpoint = DEFAULT_ENDPOINT;
    private SSLContext sslContext;
    private HttpClient httpClient;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
    private int maxMessagesPerMinute = DEFAULT_MAX_MESSAGES_PER_MINUTE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The service account to send as (required); its project is the one sent for. */
    public Builder serviceAccount(FcmServiceAccount serviceAccount) {
      this.serviceAccount = serviceAccount;
      return this;
    }

    /**
     * The service-account JSON text; throws {@link InvalidServiceAccountException} naming the bad
     * field.
     */
    public Builder serviceAccountJson(String json) {
      return serviceAccount(FcmServiceAccount.parse(json));
    }

    /** Replaces {@code https://fcm.googleapis.com} (scheme, host, port, optional base path). */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /**
     * TLS trust for the endpoint and the token endpoint (e.g. a mock's certificate); the JVM's
     * default trust otherwise.
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /**
     * A started Jetty client with an HTTP/2 transport to share; the FCM client will not stop it.
     * Connect timeout and {@link #sslContext} then apply only to the token endpoint. Remove its
     * {@code www-authenticate} protocol handler, or a 401 without that header fails as a protocol
     * violation (answered as Retry) instead of an auth rejection.
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    /** Time to open a connection; 10 s unless set. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Time for one request to be answered, queueing in the HTTP client included; 30 s. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** Requests in flight at once; more wait their turn. */
    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      this.maxConcurrentRequests = maxConcurrentRequests;
      return this;
    }

    /** The project's sending quota; sends beyond it wait. */
    public Builder maxMessagesPerMinute(int maxMessagesPerMinute) {
      this.maxMessagesPerMinute = maxMessagesPerMinute;
      return this;
    }

    /** The clock for {@code apns-expiration} and {@code Retry-After} dates. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Checks every option, then starts the client. */
    public FcmClient build() {
      if (serviceAccount == null) throw new IllegalStateException("serviceAccount is required");
      endpoint = checkEndpoint(endpoint);
      requirePositive(connectTimeout, "connectTimeout");
      requirePositive(requestTimeout, "requestTimeout");
      if (maxConcurrentRequests < 1)
        throw new IllegalStateException("maxConcurrentRequests must be at least 1");
      if (maxMessagesPerMinute < 1)
        throw new IllegalStateException("maxMessagesPerMinute must be at least 1");
      Objects.requireNonNull(clock, "clock");
      if (httpClient != null) return new FcmClient(this, httpClient, false);
      return new FcmClient(
          this, startHttp2(sslContext, connectTimeout, maxConcurrentRequests), true);
    }

    static URI checkEndpoint(URI endpoint) {
      if (endpoint == null
          || endpoint.getHost() == null
          || !("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme()))
          || endpoint.getQuery() != null)
        throw new IllegalStateException(
            "endpoint must be an absolute http(s) URI, was " + endpoint);
      String text = endpoint.toString();
      return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    private static void requirePositive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero())
        throw new IllegalStateException(name + " must be positive");
    }

    static HttpClient startHttp2(SSLContext sslContext, Duration connectTimeout, int queue) {
      ClientConnector connector = new ClientConnector();
      SslContextFactory.Client tls = new SslContextFactory.Client();
      if (sslContext != null) tls.setSslContext(sslContext);
      connector.setSslContextFactory(tls);
      connector.setConnectTimeout(connectTimeout);
      HttpClient http =
          new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
      http.setMaxRequestsQueuedPerDestination(Math.max(1024, queue * 2));
      http.setUserAgentField(
          new org.eclipse.jetty.http.HttpField(HttpHeader.USER_AGENT, "herald-push"));
      http.setFollowRedirects(false);
      try {
        http.start();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the HTTP/2 client", e);
      }
      // Jetty fails a 401 that carries no WWW-Authenticate; FCM's 401s are answers to map.
      // (start() installs the default handlers, so clear them after.)
      http.getProtocolHandlers().clear();
      return http;
    }
  }
}
