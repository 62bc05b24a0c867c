package dev.herald.testing;

import dev.herald.web.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client of the live inbox for tests: collects every JSON message it receives, in
 * order, and whether and how the server closed the socket.
 */
public final class LiveClient implements AutoCloseable {
  private final LinkedBlockingQueue<Map<String, Object>> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private LiveClient(String url, Map<String, String> headers) {
    WebSocket.Builder b =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    this.socket = b.buildAsync(URI.create(url), new Listener()).join();
  }

  /** Connects to {@code /v1/inbox/ws} of the server at {@code baseUrl} with the given query. */
  public static LiveClient connect(String baseUrl, String query) {
    return connect(baseUrl, query, Map.of());
  }

  public static LiveClient connect(String baseUrl, String query, Map<String, String> headers) {
    return new LiveClient(baseUrl.replaceFirst("^http", "ws") + "/v1/inbox/ws?" + query, headers);
  }

  /** The next message, failing after the timeout. */
  public Map<String, Object> next(Duration timeout) {
    try {
      Map<String, Object> m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (m == null) throw new AssertionError("no message within " + timeout);
      return m;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The next message that is not a heartbeat. */
  public Map<String, Object> nextEvent(Duration timeout) {
    while (true) {
      Map<String, Object> m = next(timeout);
      if (!"heartbeat".equals(m.get("type"))) return m;
    }
  }

  /** Messages until (and including) the first of the given type. */
  public List<Map<String, Object>> until(String type, Duration timeout) {
    List<Map<String, Object>> out = new ArrayList<>();
    while (true) {
      Map<String, Object> m = nextEvent(timeout);
      out.add(m);
      if (type.equals(m.get("type"))) return out;
    }
  }

  /** Whatever arrived and is not read yet. */
  public List<Map<String, Object>> drain() {
    List<Map<String, Object>> out = new ArrayList<>();
    messages.drainTo(out);
    return out;
  }

  public void send(Map<String, Object> message) {
    socket.sendText(Json.write(message), true).join();
  }

  /** The close code the server sent, waiting up to the timeout. */
  public int closeCode(Duration timeout) {
    return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed())
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(Json.map(partial.toString()));
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(-1);
    }
  }
}
