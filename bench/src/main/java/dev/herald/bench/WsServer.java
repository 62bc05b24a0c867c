package dev.herald.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** A WebSocket server under test, in its own process: Herald, or a Node peer. */
abstract sealed class WsServer implements AutoCloseable {
  /** Resident memory and live heap (after a full GC) of the server process, in bytes. */
  record Memory(long rssBytes, long heapBytes) {}

  /**
   * The message the peers broadcast: a {@code notification_received} event shaped and sized like
   * the one Herald sends for the same notification.
   */
  static final String PEER_MESSAGE =
      "{\"type\":\"notification_received\",\"seq\":1,\"unread\":1,\"item\":{\"id\":\"01KAKX3V6CQ0Z8J3M2N4P5R6S7\","
          + "\"notification_id\":\"01KAKX3V5Y9W8V7T6S5R4Q3P2N\",\"title\":\"We have moved\","
          + "\"body\":\"Our new address is in the app\",\"category\":null,\"data\":null,\"url\":null,"
          + "\"image_url\":null,\"read\":false,\"archived\":false,\"created_at\":\"2026-11-21T08:00:00.000Z\","
          + "\"read_at\":null,\"archived_at\":null,\"expires_at\":null}}";

  static WsServer start(String name, WsBench.Settings s) {
    return switch (name) {
      case "herald" -> new Herald(s);
      case "ws", "socketio" -> new Node(name, s);
      default -> throw new IllegalArgumentException(name);
    };
  }

  abstract long pid();

  abstract InetSocketAddress address();

  abstract WsLoad.Protocol protocol();

  /** Prepares {@code n} distinct clients: one request path (with its query) each. */
  abstract List<String> paths(int n);

  /** Sends one broadcast to every connection; answers when the server has answered. */
  abstract void trigger();

  /** Makes sure the trigger's connection is open, so that a round does not time a TCP connect. */
  void prepare() {}

  /** What the server reports about the last broadcast, once every socket has it. */
  Map<String, Object> lastBroadcast() {
    return Map.of();
  }

  /** After a full GC. */
  abstract Memory memory();

  /** Live heap by class after a full GC, {class: [instances, bytes]}; empty where unknown. */
  Map<String, long[]> histogram() {
    return Map.of();
  }

  abstract Map<String, Object> describe();

  @Override
  public abstract void close();

  /** Herald from the built jar, SQLite in a fresh folder, rate limiting off. */
  static final class Herald extends WsServer {
    private static final int CHUNK = 10_000;
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private final HeraldProcess process;
    private final Api api;
    private final Path jcmd;
    private final List<String> options;
    private String lastId;

    Herald(WsBench.Settings s) {
      this.options = s.heraldOptions();
      this.process =
          HeraldProcess.start(
              s.java(),
              s.jar(),
              s.work().resolve("ws-herald-" + System.nanoTime()),
              Map.of(),
              options);
      this.api = process.api();
      this.jcmd = s.java().resolveSibling("jcmd");
    }

    @Override
    long pid() {
      return process.pid();
    }

    @Override
    InetSocketAddress address() {
      return WsBench.loopback(process.port());
    }

    @Override
    WsLoad.Protocol protocol() {
      return WsLoad.Protocol.JSON;
    }

    /**
     * Subscribers made by topic joins of 10,000; one token each, minted by 16 clients in parallel.
     */
    @Override
    List<String> paths(int n) {
      List<String> ids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) ids.add(String.format("ws-%06d", i));
      for (int from = 0; from < n; from += CHUNK) {
        api.put(
            "/v1/topics/ws-bench/subscribers",
            Map.of("subscribers", ids.subList(from, Math.min(n, from + CHUNK))));
      }
      long t0 = System.nanoTime();
      int clients = 16;
      String[] tokens = new String[n];
      try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          int first = c;
          done.add(
              pool.submit(
                  () -> {
                    try (Api mine = process.api()) {
                      for (int i = first; i < n; i += clients) {
                        tokens[i] =
                            mine.post("/v1/subscribers/" + ids.get(i) + "/token", Map.of())
                                .path("token")
                                .asString();
                      }
                    }
                  }));
        }
        for (Future<?> f : done) f.get();
      } catch (Exception e) {
        throw new IllegalStateException("minting tokens failed", e);
      }
      System.out.printf(
          "  %d subscribers and tokens ready (tokens in %.1f s)%n",
          n, (System.nanoTime() - t0) / 1e9);
      List<String> paths = new ArrayList<>(n);
      for (String t : tokens) paths.add("/v1/inbox/ws?token=" + t);
      return paths;
    }

    @Override
    void prepare() {
      api.get("/health/ready");
    }

    @Override
    void trigger() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("to", Map.of("all", true));
      body.put("channels", List.of("in_app"));
      body.put("title", "We have moved");
      body.put("body", "Our new address is in the app");
      JsonNode answer = api.post("/v1/notifications", body);
      if (answer.path("id").isMissingNode()) throw new IllegalStateException("no id in " + answer);
      lastId = answer.path("id").asString();
    }

    /** The durable part: acceptance to the last page of inbox items and events committed. */
    @Override
    Map<String, Object> lastBroadcast() {
      // Counters and the status may be settled just after the last page reached the sockets.
      JsonNode n = api.get("/v1/notifications/" + lastId);
      for (int i = 0; i < 300 && n.path("finished_at").isNull(); i++) {
        Bench.sleep(100);
        n = api.get("/v1/notifications/" + lastId);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", n.path("status").asString());
      m.put("fanout_ms", Api.millis(n.get("finished_at")) - Api.millis(n.get("created_at")));
      return m;
    }

    @Override
    Memory memory() {
      jcmd("GC.run");
      Matcher m = USED.matcher(jcmd("GC.heap_info"));
      long heap = m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
      return new Memory(WsBench.rssBytes(pid()), heap);
    }

    @Override
    Map<String, long[]> histogram() {
      Map<String, long[]> h = new LinkedHashMap<>();
      // "   1:        123456       7890123  [B (java.base@25)"
      Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
      for (String line : jcmd("GC.class_histogram").split("\n")) {
        Matcher m = row.matcher(line);
        if (m.find())
          h.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
      }
      return h;
    }

    private String jcmd(String command) {
      try {
        Process p =
            new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(
          "what",
          "Herald from the shaded jar, SQLite (WAL, synchronous=FULL), HERALD_RATE_LIMIT=0");
      m.put("jvm_options", options);
      m.put(
          "broadcast",
          "POST /v1/notifications {\"to\":{\"all\":true},\"channels\":[\"in_app\"]}: durable");
      m.put("peak_rss_mib", process.peakRssMib());
      return m;
    }

    @Override
    public void close() {
      api.close();
      process.close();
    }
  }

  /** A Node peer from bench/peers/ws-node: {@code ws} or Socket.IO, one process. */
  static final class Node extends WsServer {
    private final String mode;
    private final String node;
    private final Process process;
    private final int port;
    private final HttpConnection http;
    private final Path log;

    Node(String mode, WsBench.Settings s) {
      this.mode = mode;
      this.node = s.node();
      try {
        log = Files.createTempFile(s.work(), "ws-" + mode, ".log");
        process =
            new ProcessBuilder(s.node(), "--expose-gc", "server.js", mode)
                .directory(s.peerDir().toFile())
                .redirectError(log.toFile())
                .start();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (first == null)
          throw new IllegalStateException("the " + mode + " peer did not start; see " + log);
        port = Api.JSON.readTree(first).path("port").asInt();
        http = new HttpConnection("127.0.0.1", port);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    long pid() {
      return process.pid();
    }

    @Override
    InetSocketAddress address() {
      return WsBench.loopback(port);
    }

    @Override
    WsLoad.Protocol protocol() {
      return mode.equals("ws") ? WsLoad.Protocol.JSON : WsLoad.Protocol.SOCKET_IO;
    }

    @Override
    List<String> paths(int n) {
      String path = mode.equals("ws") ? "/ws" : "/socket.io/?EIO=4&transport=websocket";
      return java.util.Collections.nCopies(n, path);
    }

    @Override
    void trigger() {
      exchange("POST", "/broadcast", PEER_MESSAGE.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    Memory memory() {
      JsonNode stats = Api.JSON.readTree(exchange("GET", "/stats", null));
      return new Memory(WsBench.rssBytes(pid()), stats.path("heap_used").asLong());
    }

    private byte[] exchange(String method, String path, byte[] body) {
      try {
        HttpConnection.Response r =
            http.exchange(HttpConnection.request(method, path, "127.0.0.1:" + port, null, body));
        if (!r.ok())
          throw new IllegalStateException(method + " " + path + " answered " + r.status());
        return r.body();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(
          "what",
          mode.equals("ws")
              ? "Node ws@8.23.0, one process, broadcast = send to every client in a loop (in memory)"
              : "Node socket.io@4.8.4, websocket transport only, broadcast = io.emit (in memory)");
      m.put("node", nodeVersion(node));
      m.put("message_bytes", PEER_MESSAGE.length());
      return m;
    }

    private static String nodeVersion(String node) {
      try {
        Process p = new ProcessBuilder(node, "--version").start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        return "unknown";
      }
    }

    @Override
    public void close() {
      http.close();
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
