package dev.herald.push.webpush;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * {@code java.net.http.HttpClient} as the transport: HTTP/2 negotiated by ALPN over TLS, HTTP/1.1
 * otherwise. Kept for comparing it with Jetty's client in {@link WebPushThroughput}.
 */
final class JdkTransport implements PushTransport {
  private final HttpClient client;
  private final ExecutorService executor;
  private final Duration requestTimeout;

  JdkTransport(SSLContext sslContext, Duration connectTimeout, Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    this.executor =
        Executors.newFixedThreadPool(4, Thread.ofPlatform().name("webpush-http-jdk-", 0).factory());
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout)
            .executor(executor);
    if (sslContext != null) builder.sslContext(sslContext);
    client = builder.build();
  }

  @Override
  public CompletableFuture<Answer> post(URI endpoint, List<String> headers, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.size(); i += 2) request.header(headers.get(i), headers.get(i + 1));
    return client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response ->
                new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Location").orElse(null),
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.body()));
  }

  @Override
  public void close() {
    client.close();
    executor.close();
  }
}
