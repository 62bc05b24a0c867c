package dev.herald.push.expo;

import dev.herald.push.PushMessage;
import dev.herald.push.PushResult;
import dev.herald.push.RatePacer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends through Expo's push service ({@code POST /--/api/v2/push/send}) and reads receipts ({@code
 * POST /--/api/v2/push/getReceipts}) for one Expo project, over HTTP/2. Build one per project with
 * {@link #builder()}, share it, {@link #close()} it at shutdown.
 *
 * <p>{@link #send(List)} splits the pushes into requests of at most 100 messages, gzips bodies over
 * 1 KiB, and answers one {@link PushResult} per push in order; its future never fails ({@link
 * ExpoTickets} maps tickets, whole-request errors and network failures). Messages over Expo's
 * 4096-byte limit are rejected without a request. Requests are spaced to stay under the project's
 * rate (600 messages/s by default): they wait, never dropped. A ticket is not a delivery: fetch
 * receipts later with {@link #getReceipts(List)}.
 *
 * <p>Thread-safe. Futures complete on the HTTP client's threads: don't block in their callbacks.
 * After {@link #close()}, sends answer {@link PushResult.Retry}.
 */
public final class ExpoClient implements AutoCloseable {
  static final int GZIP_ABOVE_BYTES = 1024; // as Expo's own SDK does
  private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private record Answer(int status, byte[] body, String retryAfter) {}

  private final URI sendUri;
  private final URI receiptsUri;
  private final String authorization;
  private final HttpClient http;
  private final RatePacer pacer;
  private final Clock clock;
  private final Duration requestTimeout;
  private final ScheduledThreadPoolExecutor timer;
  private final Map<CompletableFuture<List<PushResult>>, Integer> pending =
      new ConcurrentHashMap<>();
  private volatile boolean closed;

  private ExpoClient(Builder b, HttpClient http) {
    this.sendUri = URI.create(b.endpoint + "/--/api/v2/push/send");
    this.receiptsUri = URI.create(b.endpoint + "/--/api/v2/push/getReceipts");
    this.authorization = b.accessToken == null ? null : "Bearer " + b.accessToken;
    this.http = http;
    this.clock = b.clock;
    this.requestTimeout = b.requestTimeout;
    this.pacer =
        new RatePacer(
            b.maxMessagesPerSecond, Duration.ofSeconds(1), Duration.ZERO, System::nanoTime);
    this.timer =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("herald-expo-pacer").factory());
    timer.setRemoveOnCancelPolicy(true);
  }

  /** A builder; every option has a default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Sends one message; the future completes with its outcome and never exceptionally. */
  public CompletableFuture<PushResult> send(String token, PushMessage message) {
    return send(List.of(new ExpoPush(token, message))).thenApply(List::getFirst);
  }

  /** Sends the pushes in batches of ≤ 100; the list answers one outcome per push, in order. */
  public CompletableFuture<List<PushResult>> send(List<ExpoPush> pushes) {
    PushResult[] results = new PushResult[pushes.size()];
    List<Integer> sendable = new ArrayList<>(pushes.size());
    for (int i = 0; i < pushes.size(); i++) {
      ExpoPush push = pushes.get(i);
      if (push.token().isBlank())
        results[i] = new PushResult.Rejected("DeviceNotRegistered: empty token", true);
      else if (!fits(push)) results[i] = new PushResult.Rejected("MessageTooBig", false);
      else sendable.add(i);
    }
    List<CompletableFuture<Void>> batches = new ArrayList<>();
    for (List<Integer> batch : ExpoMessages.batches(sendable, ExpoMessages.MAX_BATCH)) {
      List<ExpoPush> batchPushes = batch.stream().map(pushes::get).toList();
      batches.add(
          sendBatch(batchPushes)
              .thenAccept(
                  outcomes -> {
                    for (int j = 0; j < batch.size(); j++) results[batch.get(j)] = outcomes.get(j);
                  }));
    }
    return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new))
        .thenApply(done -> Collections.unmodifiableList(Arrays.asList(results)));
  }

  /**
   * The receipts for these ticket ids, asked in requests of ≤ 1000 ids; ids Expo has no receipt for
   * (not yet, or older than a day) are absent from the map. Fails with {@link ExpoRequestException}
   * when any request fails: ask again later.
   */
  public CompletableFuture<Map<String, ExpoReceipt>> getReceipts(List<String> ticketIds) {
    Map<String, ExpoReceipt> receipts = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> requests = new ArrayList<>();
    for (List<String> batch :
        ExpoMessages.batches(List.copyOf(ticketIds), ExpoReceipts.MAX_BATCH)) {
      ObjectNode body = JSON.createObjectNode();
      batch.forEach(body.putArray("ids")::add);
      requests.add(
          post(receiptsUri, JSON.writeValueAsBytes(body))
              .thenAccept(answer -> receipts.putAll(receiptsOf(answer))));
    }
    return CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<String, ExpoReceipt> ordered = new LinkedHashMap<>();
              for (String id : ticketIds)
                if (receipts.containsKey(id)) ordered.put(id, receipts.get(id));
              return ordered;
            });
  }

  private static boolean fits(ExpoPush push) {
    try {
      return ExpoMessages.fits(push);
    } catch (RuntimeException unencodable) {
      return false;
    }
  }

  private CompletableFuture<List<PushResult>> sendBatch(List<ExpoPush> batch) {
    List<String> tokens = batch.stream().map(ExpoPush::token).toList();
    if (closed) return CompletableFuture.completedFuture(closed(tokens.size()));
    byte[] body = ExpoMessages.toRequestBytes(batch);
    CompletableFuture<List<PushResult>> result = new CompletableFuture<>();
    pending.put(result, tokens.size());
    result.whenComplete((r, f) -> pending.remove(result));
    Runnable go =
        () ->
            post(sendUri, body)
                .whenComplete(
                    (answer, failure) ->
                        result.complete(
                            failure != null
                                ? Collections.nCopies(tokens.size(), ExpoFailures.retry(failure))
                                : ExpoTickets.fromAnswer(
                                    answer.status(),
                                    answer.body(),
                                    answer.retryAfter(),
                                    clock.instant(),
                                    tokens)));
    long wait = pacer.reserve(batch.size());
    if (wait == 0) go.run();
    else {
      try {
        timer.schedule(go, wait, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closing) {
        result.complete(closed(tokens.size()));
      }
    }
    return result;
  }

  private Map<String, ExpoReceipt> receiptsOf(Answer answer) {
    var json = ExpoTickets.parse(answer.body());
    var error = json.path("errors").path(0);
    if (answer.status() == 200 && error.isMissingNode())
      return ExpoReceipts.fromAnswer(answer.body());
    String code = error.path("code").asString(null);
    throw new java.util.concurrent.CompletionException(
        new ExpoRequestException(
            answer.status(),
            code,
            "getReceipts answered "
                + answer.status()
                + (code == null ? "" : " " + code)
                + ": "
                + error.path("message").asString(""),
            ExpoTickets.retryAfter(answer.retryAfter(), clock.instant()),
            null));
  }

  private CompletableFuture<Answer> post(URI uri, byte[] json) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    if (closed) {
      answer.completeExceptionally(new ExpoRequestException(0, null, "client closed", null, null));
      return answer;
    }
    boolean compress = json.length > GZIP_ABOVE_BYTES;
    byte[] body = compress ? gzip(json) : json;
    try {
      http.newRequest(uri)
          .method(HttpMethod.POST)
          .headers(
              h -> {
                h.put(HttpHeader.ACCEPT, "application/json");
                h.put(HttpHeader.ACCEPT_ENCODING, "gzip");
                if (compress) h.put(HttpHeader.CONTENT_ENCODING, "gzip");
                if (authorization != null) h.put(HttpHeader.AUTHORIZATION, authorization);
              })
          .body(new BytesRequestContent("application/json", body))
          .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .send(
              new BufferingResponseListener(MAX_ANSWER_BYTES) {
                @Override
                public void onComplete(Result outcome) {
                  if (outcome.isFailed())
                    answer.completeExceptionally(
                        new ExpoRequestException(
                            0,
                            null,
                            ExpoFailures.describe(outcome.getFailure()),
                            null,
                            outcome.getFailure()));
                  else
                    answer.complete(
                        new Answer(
                            outcome.getResponse().getStatus(),
                            getContent(),
                            outcome.getResponse().getHeaders().get(HttpHeader.RETRY_AFTER)));
                }
              });
    } catch (RuntimeException e) {
      answer.completeExceptionally(
          new ExpoRequestException(0, null, ExpoFailures.describe(e), null, e));
    }
    return answer;
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static List<PushResult> closed(int count) {
    return Collections.nCopies(count, new PushResult.Retry("client closed", null));
  }

  /** Stops the HTTP client; waiting and in-flight sends answer Retry. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    try {
      http.stop();
    } catch (Exception e) {
      // stopping fails in-flight requests, which already map to Retry
    }
    Map.copyOf(pending).forEach((result, size) -> result.complete(closed(size)));
  }

  /** Options for an {@link ExpoClient}, checked by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    /** Expo's production endpoint. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://exp.host");

    /** Expo's documented limit: 600 notifications per second per project. */
    public static final int DEFAULT_MAX_MESSAGES_PER_SECOND = 600;

    private String accessToken;
    private URI endpoint = DEFAULT_ENDPOINT;
    private SSLContext sslContext;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxMessagesPerSecond = DEFAULT_MAX_MESSAGES_PER_SECOND;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The project's access token, sent as {@code Authorization: Bearer}; null for none. */
    public Builder accessToken(String accessToken) {
      this.accessToken = accessToken;
      return this;
    }

    /** Replaces {@code https://exp.host} (scheme, host, port, optional base path). */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** TLS trust for the endpoint (e.g. a mock's certificate); the JVM's default otherwise. */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /** Time to open a connection; 10 s unless set. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Time for one request to be answered; 30 s unless set. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** The project's rate; requests beyond it wait. */
    public Builder maxMessagesPerSecond(int maxMessagesPerSecond) {
      this.maxMessagesPerSecond = maxMessagesPerSecond;
      return this;
    }

    /** The clock for {@code Retry-After} dates. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Checks every option, then starts the client. */
    public ExpoClient build() {
      if (endpoint == null
          || endpoint.getHost() == null
          || !("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme()))
          || endpoint.getQuery() != null)
        throw new IllegalStateException(
            "endpoint must be an absolute http(s) URI, was " + endpoint);
      String base = endpoint.toString();
      endpoint = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
      if (accessToken != null
          && (accessToken.isBlank() || accessToken.chars().anyMatch(c -> c < 0x21 || c > 0x7e)))
        throw new IllegalStateException("accessToken must be printable ASCII without spaces");
      for (Duration d : new Duration[] {connectTimeout, requestTimeout})
        if (d == null || d.isNegative() || d.isZero())
          throw new IllegalStateException("connectTimeout and requestTimeout must be positive");
      if (maxMessagesPerSecond < 1)
        throw new IllegalStateException("maxMessagesPerSecond must be at least 1");
      Objects.requireNonNull(clock, "clock");
      return new ExpoClient(this, startHttp2());
    }

    private HttpClient startHttp2() {
      ClientConnector connector = new ClientConnector();
      SslContextFactory.Client tls = new SslContextFactory.Client();
      if (sslContext != null) tls.setSslContext(sslContext);
      connector.setSslContextFactory(tls);
      connector.setConnectTimeout(connectTimeout);
      HttpClient http =
          new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
      http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "herald-push"));
      http.setFollowRedirects(false);
      try {
        http.start();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the HTTP/2 client", e);
      }
      http.getProtocolHandlers().clear(); // a 401 is an answer to map, not a challenge to meet
      return http;
    }
  }
}
