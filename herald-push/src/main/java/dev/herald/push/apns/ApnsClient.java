package dev.herald.push.apns;

import dev.herald.push.PushMessage;
import dev.herald.push.PushResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Sends notifications to APNs over HTTP/2 with token authentication: a few long-lived TLS
 * connections (ALPN h2), each carrying many concurrent streams, and one provider token shared by
 * every request until it is due for refresh.
 *
 * <p>Thread-safe and meant to live as long as its credentials: build one per team/key/topic and
 * share it. {@code send} never blocks and never throws for a transport problem: every failure is a
 * {@link PushResult} (see {@link ApnsErrors} for the mapping). Futures complete on Jetty's threads,
 * so callers must not block in their callbacks. Requests beyond what the connections can carry wait
 * in an unbounded queue: concurrency is the caller's to bound.
 *
 * <p>Before a request leaves, a token that is not 64+ hex digits is refused as {@code
 * BadDeviceToken} (token invalid), data that cannot be written as JSON as {@code BadPayload: …}, a
 * payload over 4096 bytes as {@code PayloadTooLarge}, a collapse id over 64 bytes as {@code
 * BadCollapseId}. When APNs answers {@code ExpiredProviderToken} the token is re-signed and the
 * request sent once more; {@code TooManyProviderTokenUpdates} re-signs it too and answers Retry.
 */
public final class ApnsClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApnsClient.class);
  private static final String EXPIRED_TOKEN =
      ApnsErrors.PROVIDER_AUTH_PREFIX + "ExpiredProviderToken";

  private final ApnsClientBuilder settings;
  private final ProviderToken token;
  private final HTTP2Client http;
  private final ApnsConnections connections;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Authorization authorization;

  private record Authorization(String jwt, HttpField header) {}

  ApnsClient(
      ApnsClientBuilder settings,
      ProviderToken token,
      HTTP2Client http,
      ApnsConnections connections) {
    this.settings = settings;
    this.token = token;
    this.http = http;
    this.connections = connections;
  }

  public static ApnsClientBuilder builder() {
    return new ApnsClientBuilder();
  }

  /**
   * Sends one notification.
   *
   * @throws NullPointerException when an argument is null
   */
  public CompletableFuture<PushResult> send(String deviceToken, PushMessage message) {
    Objects.requireNonNull(deviceToken, "deviceToken");
    Objects.requireNonNull(message, "message");
    ApnsRequest request;
    try {
      request = ApnsRequest.of(deviceToken, message, settings.clock().instant());
    } catch (JacksonException e) {
      return CompletableFuture.completedFuture(
          new PushResult.Rejected("BadPayload: " + e.getOriginalMessage(), false));
    }
    String refusal = request.refusal();
    if (refusal != null)
      return CompletableFuture.completedFuture(
          new PushResult.Rejected(refusal, refusal.equals("BadDeviceToken")));
    return dispatch(request, true);
  }

  /** Sends each notification; the results come in the same order, one per notification. */
  public CompletableFuture<List<PushResult>> send(List<ApnsNotification> notifications) {
    List<CompletableFuture<PushResult>> futures = new ArrayList<>(notifications.size());
    for (ApnsNotification n : notifications)
      futures.add(send(n.deviceToken(), n.message()).exceptionally(ApnsClient::unexpected));
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
  }

  /** Where this client sends, e.g. {@code api.push.apple.com:443}. */
  public String endpoint() {
    return settings.host() + ":" + settings.port();
  }

  /**
   * Stops taking requests, waits up to {@link ApnsClientBuilder#DEFAULT_CLOSE_GRACE} for those in
   * flight, then closes the connections; anything still unanswered becomes a Retry.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    long deadline = System.nanoTime() + ApnsClientBuilder.DEFAULT_CLOSE_GRACE.toNanos();
    while (connections.inFlight() > 0 && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    connections.close();
    try {
      http.stop();
    } catch (Exception e) {
      log.warn("APNs client to {} did not stop cleanly", endpoint(), e);
    }
  }

  // A bug must not sink the rest of a batch; the message is retried like any transient failure.
  private static PushResult unexpected(Throwable failure) {
    log.error("APNs send failed unexpectedly", failure);
    return new PushResult.Retry("unexpected failure: " + ApnsExchange.describe(failure), null);
  }

  private CompletableFuture<PushResult> dispatch(ApnsRequest request, boolean firstAttempt) {
    if (closed.get())
      return CompletableFuture.completedFuture(new PushResult.Retry("APNs client closed", null));
    String jwt = token.current();
    Authorization auth = authorization;
    // The same JWT instance until the token is re-signed: encode its header once per token.
    if (auth == null || auth.jwt() != jwt)
      authorization =
          auth =
              new Authorization(
                  jwt, new PreEncodedHttpField(HttpHeader.AUTHORIZATION, "bearer " + jwt));
    ApnsExchange exchange = new ApnsExchange(request, jwt, auth.header());
    connections.submit(exchange);
    return exchange.result.thenCompose(
        result -> {
          if (result instanceof PushResult.Rejected r && r.reason().equals(EXPIRED_TOKEN)) {
            token.refresh(jwt);
            if (firstAttempt) return dispatch(request, false);
          } else if (result instanceof PushResult.Retry r
              && "TooManyProviderTokenUpdates".equals(r.reason())) {
            token.refresh(jwt);
          }
          return CompletableFuture.completedFuture(result);
        });
  }
}
