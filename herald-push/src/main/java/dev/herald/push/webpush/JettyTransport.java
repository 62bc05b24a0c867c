package dev.herald.push.webpush;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's HTTP client: HTTP/2 negotiated by ALPN over TLS with HTTP/1.1 as the fallback, many
 * streams multiplexed over one connection per push-service origin. Redirects are not followed (an
 * allow-listed endpoint must not lead elsewhere).
 */
final class JettyTransport implements PushTransport {
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final HttpClient client;
  private final Duration requestTimeout;
  private final boolean cleartextHttp2;

  JettyTransport(
      SSLContext sslContext,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxConnectionsPerOrigin,
      int maxQueued,
      boolean cleartextHttp2) {
    this.requestTimeout = requestTimeout;
    this.cleartextHttp2 = cleartextHttp2;
    SslContextFactory.Client tls = new SslContextFactory.Client();
    if (sslContext != null) tls.setSslContext(sslContext);
    // Small: one client per app, and the work per response is short (the crypto runs in send()).
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("webpush-http");
    threads.setDaemon(true);
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(tls);
    connector.setExecutor(threads);
    connector.setConnectTimeout(connectTimeout);
    HTTP2Client http2 = new HTTP2Client(connector);
    client =
        new HttpClient(
            new HttpClientTransportDynamic(
                connector,
                new ClientConnectionFactoryOverHTTP2.HTTP2(http2),
                HttpClientConnectionFactory.HTTP11));
    client.setExecutor(threads);
    client.setFollowRedirects(false);
    client.setMaxConnectionsPerDestination(maxConnectionsPerOrigin);
    client.setMaxRequestsQueuedPerDestination(maxQueued);
    client.setConnectTimeout(connectTimeout.toMillis());
    client.setUserAgentField(null);
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP client", e);
    }
    // Installed by start(). A 401 or 407 is an answer to map (a VAPID problem), not a challenge
    // for Jetty to take up; a 401 without WWW-Authenticate would fail as a protocol violation.
    client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
    client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
  }

  @Override
  public CompletableFuture<Answer> post(URI endpoint, List<String> headers, byte[] body) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    Request request =
        client
            .newRequest(endpoint)
            .method(HttpMethod.POST)
            .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .headers(
                h -> {
                  for (int i = 0; i < headers.size(); i += 2)
                    h.put(headers.get(i), headers.get(i + 1));
                })
            .body(new BytesRequestContent("application/octet-stream", body));
    // Clear-text endpoints only exist on loopback test setups: HTTP/1.1 unless told h2c works.
    if (!cleartextHttp2 && "http".equalsIgnoreCase(endpoint.getScheme()))
      request.version(HttpVersion.HTTP_1_1);
    else if ("http".equalsIgnoreCase(endpoint.getScheme())) request.version(HttpVersion.HTTP_2);
    request.send(
        new BufferingResponseListener(MAX_ERROR_BODY) {
          @Override
          public void onComplete(Result result) {
            if (result.isFailed()) {
              answer.completeExceptionally(result.getFailure());
              return;
            }
            var response = result.getResponse();
            answer.complete(
                new Answer(
                    response.getStatus(),
                    response.getHeaders().get(HttpHeader.LOCATION),
                    response.getHeaders().get(HttpHeader.RETRY_AFTER),
                    getContentAsString(StandardCharsets.UTF_8)));
          }
        });
    return answer;
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the HTTP client", e);
    }
  }
}
