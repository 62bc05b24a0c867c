package dev.herald.webhook;

import dev.herald.egress.EgressGuard;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Posts webhook messages. Redirects are not followed, and every connection goes to addresses the
 * egress guard checked in the same lookup (see {@link EgressGuard#resolveToCall}), so a DNS answer
 * that changes after the check cannot point a call inside the network. Thread-safe.
 */
final class WebhookClient implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  // Enough of an answer to see what a receiver said; the rest is read and dropped.
  static final int KEPT_BODY_BYTES = 1024;

  /** What a call came to: an HTTP answer, or no answer at all. */
  sealed interface Answer {
    record Response(int status, String body, String retryAfter) implements Answer {}

    record Failure(String error) implements Answer {}
  }

  private final HttpClient client;
  private final EgressGuard egress;
  private final Duration requestTimeout;

  WebhookClient(
      EgressGuard egress, SSLContext tls, Duration connectTimeout, Duration requestTimeout) {
    this.egress = egress;
    this.requestTimeout = requestTimeout;
    SslContextFactory.Client tlsFactory = new SslContextFactory.Client();
    if (tls != null) tlsFactory.setSslContext(tls);
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(tlsFactory);
    connector.setConnectTimeout(connectTimeout);
    client = new HttpClient(new HttpClientTransportOverHTTP(connector));
    client.setFollowRedirects(false);
    client.setConnectTimeout(connectTimeout.toMillis());
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Herald-Webhooks/1"));
    client.setSocketAddressResolver(new GuardedResolver(egress));
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the webhook HTTP client", e);
    }
    // A 401 or 407 is the receiver's answer to record, not a challenge to take up.
    client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
    client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
  }

  /** POSTs {@code body} as JSON; blocks until an answer, a failure or the request timeout. */
  Answer post(String url, Map<String, String> headers, String body) {
    var refusal = egress.refusalToCall(url);
    if (refusal.isPresent())
      return new Answer.Failure("refused by the egress guard: the URL " + refusal.get());
    KeepingListener listener = new KeepingListener();
    client
        .newRequest(URI.create(url))
        .method(HttpMethod.POST)
        .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .headers(h -> headers.forEach(h::put))
        .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8))
        .send(listener);
    try {
      return listener.answer.get();
    } catch (ExecutionException e) {
      return new Answer.Failure(describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer.Failure("interrupted");
    }
  }

  static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof EgressGuard.Refused r)
        return "refused by the egress guard: " + r.getMessage();
      if (t instanceof UnknownHostException) return "the host name does not resolve";
      if (t instanceof TimeoutException) return "no answer in time (" + t.getMessage() + ")";
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }

  /**
   * A Retry-After value (seconds, or an HTTP date) as a delay from {@code nowMillis}; null when
   * absent or unreadable.
   */
  static Duration retryAfter(String value, long nowMillis) {
    if (value == null || value.isBlank()) return null;
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        long at =
            ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant()
                .toEpochMilli();
        return Duration.ofMillis(Math.max(0, at - nowMillis));
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the webhook HTTP client", e);
    }
  }

  /** Keeps the status, Retry-After and the first bytes of the body; reads and drops the rest. */
  private static final class KeepingListener implements Response.Listener {
    final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    @Override
    public void onContent(Response response, ByteBuffer content) {
      int n = Math.min(content.remaining(), KEPT_BODY_BYTES - kept.size());
      for (int i = 0; i < n; i++) kept.write(content.get());
    }

    @Override
    public void onComplete(Result result) {
      if (result.isFailed()) {
        answer.completeExceptionally(result.getFailure());
        return;
      }
      Response r = result.getResponse();
      // Stored as text: PostgreSQL text cannot hold U+0000.
      String body = kept.toString(StandardCharsets.UTF_8).replace("\0", "");
      answer.complete(
          new Answer.Response(r.getStatus(), body, r.getHeaders().get(HttpHeader.RETRY_AFTER)));
    }
  }

  /** Resolves through the egress guard on a virtual thread, off Jetty's selector threads. */
  private record GuardedResolver(EgressGuard egress) implements SocketAddressResolver {
    @Override
    public void resolve(
        String host,
        int port,
        Map<String, Object> context,
        Promise<List<InetSocketAddress>> promise) {
      Thread.startVirtualThread(
          () -> {
            try {
              promise.succeeded(
                  egress.resolveToCall(host).stream()
                      .map(a -> new InetSocketAddress(a, port))
                      .toList());
            } catch (Exception e) {
              promise.failed(e);
            }
          });
    }
  }
}
