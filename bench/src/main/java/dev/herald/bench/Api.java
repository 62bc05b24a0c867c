package dev.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Setup and polling calls to Herald's API over one connection, JSON in and out. */
final class Api implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpConnection conn;
  private final String authority;
  private final String key;

  Api(String host, int port, String key) {
    this.conn = new HttpConnection(host, port);
    this.authority = host + ":" + port;
    this.key = key;
  }

  JsonNode get(String path) {
    return call("GET", path, null);
  }

  JsonNode post(String path, Object body) {
    return call("POST", path, body);
  }

  JsonNode put(String path, Object body) {
    return call("PUT", path, body);
  }

  /** The bytes of a request with this client's key, for the load generator. */
  byte[] request(String method, String path, Object body) {
    return HttpConnection.request(
        method, path, authority, key, body == null ? null : JSON.writeValueAsBytes(body));
  }

  private JsonNode call(String method, String path, Object body) {
    try {
      byte[] request = request(method, path, body);
      HttpConnection.Response r;
      try {
        r = conn.exchange(request);
      } catch (IOException e) {
        // The server may have closed the idle keep-alive connection; GET and PUT are idempotent.
        if (method.equals("POST")) throw e;
        r = conn.exchange(request);
      }
      if (!r.ok()) {
        throw new IllegalStateException(
            method + " " + path + " answered " + r.status() + ": " + r.text());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Jobs waiting, delayed or running in {@code lane} ({@code null}: all lanes). */
  long backlog(String lane) {
    JsonNode queue = get("/v1/stats").path("queue");
    long n = 0;
    for (String l :
        lane == null ? new String[] {"critical", "important", "bulk"} : new String[] {lane}) {
      JsonNode c = queue.path(l);
      n += c.path("waiting").asLong() + c.path("active").asLong() + c.path("delayed").asLong();
    }
    return n;
  }

  /** Waits until no lane has work; answers the seconds it took, or -1 after {@code maxSeconds}. */
  double awaitIdle(double maxSeconds) {
    long t0 = System.nanoTime();
    while (true) {
      if (backlog(null) == 0) return (System.nanoTime() - t0) / 1e9;
      if ((System.nanoTime() - t0) / 1e9 > maxSeconds) return -1;
      Bench.sleep(500);
    }
  }

  static long millis(JsonNode time) {
    return time == null || time.isNull() ? -1 : Instant.parse(time.asString()).toEpochMilli();
  }

  @Override
  public void close() {
    conn.close();
  }
}
