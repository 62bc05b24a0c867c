package dev.herald.push.webpush;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The HTTP exchange with a push service: the seam between the protocol and an HTTP client. */
interface PushTransport extends AutoCloseable {

  /**
   * POSTs {@code body} with {@code headers} (name, value, name, value, …). Completes with the
   * answer, or exceptionally when there was none (connect failure, reset, timeout).
   */
  CompletableFuture<Answer> post(URI endpoint, List<String> headers, byte[] body);

  @Override
  void close();

  /** A push service's answer; {@code location}, {@code retryAfter} may be null. */
  record Answer(int status, String location, String retryAfter, String body) {}
}
