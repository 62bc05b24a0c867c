package dev.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle WebSocket connections and broadcast-to-all, for Herald and for Node peers measured the same
 * way by the same client ({@link WsLoad}, in this process; every server in its own process).
 * Started by {@code bench/run ws}:
 *
 * <pre>WsBench [all|herald,ws,socketio]</pre>
 *
 * For each server and each level N (a fresh server per level): N sockets are opened, 256 handshakes
 * in flight, and the connect rate is N over the time until the last is ready; memory is read before
 * and after the N idle sockets, each time after a full GC; then rounds of one broadcast each,
 * latency per socket = its receive time − the time just before the trigger request was written.
 */
public final class WsBench {
  static final List<String> SERVERS = List.of("herald", "ws", "socketio");

  private WsBench() {}

  public static void main(String[] args) throws Exception {
    List<String> servers =
        args.length == 0 || args[0].equals("all") ? SERVERS : Arrays.asList(args[0].split(","));
    for (String s : servers) {
      if (!SERVERS.contains(s)) {
        System.err.println("unknown server '" + s + "'; known: " + SERVERS);
        System.exit(2);
      }
    }
    Settings settings = Settings.fromProperties();
    Machine machine = Machine.probe();
    System.out.println("machine: " + machine.oneLine());
    List<Map<String, Object>> results = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (String server : servers) {
      for (int n : settings.levels) {
        System.out.println("== " + server + ", " + n + " connections");
        Map<String, Object> r;
        try {
          r = measure(server, n, settings);
        } catch (RuntimeException e) {
          e.printStackTrace();
          r = new LinkedHashMap<>();
          r.put("server", server);
          r.put("connections", n);
          r.put("failure", e.toString());
        }
        results.add(r);
        String line = summary(r);
        lines.add(line);
        System.out.println("  " + line);
      }
    }
    write(settings, machine, results, lines);
  }

  private static Map<String, Object> measure(String name, int n, Settings s) throws IOException {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("server", name);
    r.put("connections", n);
    r.put("load_average_before", Files.readString(Path.of("/proc/loadavg")).trim());
    try (WsServer server = WsServer.start(name, s)) {
      List<String> paths = server.paths(n);
      Bench.sleep(2_000);
      WsServer.Memory before = server.memory();
      Map<String, long[]> histogramBefore = s.histogram ? server.histogram() : Map.of();
      CpuMeter meter = new CpuMeter(server.pid(), null);

      CpuMeter.Snapshot connectStart = meter.take();
      try (WsLoad load =
          new WsLoad(server.protocol(), server.address(), paths, s.clientThreads, s.window)) {
        load.connect();
        double connectSeconds = load.awaitReady(300);
        CpuMeter.Usage connectCpu = meter.since(connectStart);
        if (load.ready() < n) {
          throw new IllegalStateException(
              load.ready()
                  + " of "
                  + n
                  + " sockets ready, "
                  + load.failed()
                  + " failed; first error: "
                  + load.firstError());
        }
        r.put("connect_seconds", connectSeconds);
        r.put("connects_per_second", Math.round(n / connectSeconds));
        r.put("connect_cpu", connectCpu);

        Bench.sleep(s.idleMillis);
        WsServer.Memory after = server.memory();
        r.put("memory_before", before);
        r.put("memory_after", after);
        double rssPerConn = (after.rssBytes() - before.rssBytes()) / (double) n;
        double heapPerConn = (after.heapBytes() - before.heapBytes()) / (double) n;
        if (s.histogram)
          r.put(
              "heap_by_class_per_connection",
              perConnection(histogramBefore, server.histogram(), n));
        r.put("rss_bytes_per_connection", Math.round(rssPerConn));
        r.put("heap_bytes_per_connection", Math.round(heapPerConn));
        r.put("server_open_files", openFiles(server.pid()));
        r.put("client_open_files", openFiles(ProcessHandle.current().pid()));
        r.put("client_rss_mib", rssBytes(ProcessHandle.current().pid()) >> 20);

        List<Map<String, Object>> rounds = new ArrayList<>();
        CpuMeter.Snapshot broadcastStart = meter.take();
        for (int round = -s.warmups; round < s.rounds; round++) {
          server.prepare();
          load.arm();
          long t0 = System.nanoTime();
          server.trigger();
          long answered = System.nanoTime();
          long[] times = load.awaitBroadcast(s.broadcastTimeoutSeconds);
          Map<String, Object> one = latencies(times, t0, load.ready() - load.closed());
          one.put("trigger_answer_ms", (answered - t0) / 1e6);
          one.putAll(server.lastBroadcast());
          if (round >= 0) rounds.add(one);
          System.out.println("  " + (round < 0 ? "warm-up" : "round " + (round + 1)) + ": " + one);
          Bench.sleep(s.pauseMillis);
        }
        r.put("broadcast_cpu", meter.since(broadcastStart));
        r.put("rounds", rounds);
        for (String key : List.of("p50_ms", "p99_ms", "max_ms", "trigger_answer_ms", "fanout_ms")) {
          if (rounds.isEmpty() || !rounds.getFirst().containsKey(key)) continue;
          r.put(
              "median_" + key,
              median(
                  rounds.stream()
                      .mapToDouble(m -> ((Number) m.get(key)).doubleValue())
                      .filter(v -> v >= 0) // a fan-out never settled within 30 s: unknown
                      .toArray()));
        }
        r.put(
            "missed_total",
            rounds.stream().mapToLong(m -> ((Number) m.get("missed")).longValue()).sum());
        r.put("closed_during_run", load.closed());
        r.put("load_average_after", Files.readString(Path.of("/proc/loadavg")).trim());
      }
      r.put("server_detail", server.describe());
    }
    return r;
  }

  /**
   * The classes whose live bytes grew most with the connections: bytes and instances per
   * connection.
   */
  private static List<Map<String, Object>> perConnection(
      Map<String, long[]> before, Map<String, long[]> after, int n) {
    List<Map<String, Object>> rows = new ArrayList<>();
    after.forEach(
        (cls, a) -> {
          long[] b = before.getOrDefault(cls, new long[2]);
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("class", cls);
          row.put("bytes", Math.round((a[1] - b[1]) / (double) n));
          row.put("instances", Math.round(100.0 * (a[0] - b[0]) / n) / 100.0);
          rows.add(row);
        });
    rows.sort((x, y) -> Long.compare((Long) y.get("bytes"), (Long) x.get("bytes")));
    List<Map<String, Object>> top = new ArrayList<>(rows.subList(0, Math.min(25, rows.size())));
    top.forEach(row -> System.out.println("    heap/conn " + row));
    return top;
  }

  private static Map<String, Object> latencies(long[] times, long t0, int expected) {
    double[] ms = new double[times.length];
    for (int i = 0; i < times.length; i++) ms[i] = (times[i] - t0) / 1e6;
    Arrays.sort(ms);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("received", ms.length);
    m.put("missed", expected - ms.length);
    m.put("p50_ms", percentile(ms, 0.50));
    m.put("p99_ms", percentile(ms, 0.99));
    m.put("max_ms", ms.length == 0 ? Double.NaN : ms[ms.length - 1]);
    m.put("min_ms", ms.length == 0 ? Double.NaN : ms[0]);
    return m;
  }

  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) return Double.NaN;
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return Math.round(sorted[Math.max(0, Math.min(sorted.length - 1, i))] * 10) / 10.0;
  }

  static double median(double[] v) {
    if (v.length == 0) return Double.NaN;
    double[] s = v.clone();
    Arrays.sort(s);
    double m = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    return Math.round(m * 10) / 10.0;
  }

  static long openFiles(long pid) {
    try (var files = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return files.count();
    } catch (IOException e) {
      return -1;
    }
  }

  static long rssBytes(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException e) {
      // the process is gone
    }
    return -1;
  }

  private static String summary(Map<String, Object> r) {
    if (r.containsKey("failure")) {
      return String.format(
          "%-8s %6d: FAILED %s", r.get("server"), r.get("connections"), r.get("failure"));
    }
    long rss = (Long) r.get("rss_bytes_per_connection");
    long heap = (Long) r.get("heap_bytes_per_connection");
    return String.format(
        "%-8s %6d: RSS %5.1f KB/conn, heap %5.1f KB/conn; connect %6d/s; broadcast p50 %6.1f ms,"
            + " p99 %6.1f ms, last %6.1f ms (median of rounds; trigger answered in %.1f ms%s); missed %d;"
            + " load %s",
        r.get("server"),
        r.get("connections"),
        rss / 1024.0,
        heap / 1024.0,
        r.get("connects_per_second"),
        r.get("median_p50_ms"),
        r.get("median_p99_ms"),
        r.get("median_max_ms"),
        r.get("median_trigger_answer_ms"),
        r.containsKey("median_fanout_ms")
            ? String.format(", durable fan-out %.0f ms", (Double) r.get("median_fanout_ms"))
            : "",
        r.get("missed_total"),
        r.get("load_average_before"));
  }

  private static void write(
      Settings s, Machine machine, List<Map<String, Object>> results, List<String> lines)
      throws IOException {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("workload", "ws");
    doc.put("machine", machine);
    doc.put("settings", s.describe());
    doc.put("results", results);
    Files.createDirectories(s.results);
    Path json = s.results.resolve(stamp + "-ws.json");
    Files.writeString(json, Report.OUT.writeValueAsString(doc) + "\n");
    StringBuilder txt = new StringBuilder();
    txt.append("Herald benchmark: WebSocket idle memory, connect rate, broadcast to all\n");
    txt.append("machine: ").append(machine.oneLine()).append('\n');
    txt.append("measured at: ").append(machine.measuredAt()).append('\n');
    txt.append("settings: ").append(s.describe()).append("\n\n");
    for (String l : lines) txt.append(l).append('\n');
    Path t = s.results.resolve(stamp + "-ws.txt");
    Files.writeString(t, txt, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(txt);
    System.out.println("-> " + t + " (+ .json)");
  }

  /** What a run is made of, from system properties set by bench/run. */
  record Settings(
      Path java,
      Path jar,
      Path work,
      Path results,
      Path peerDir,
      String node,
      List<String> heraldOptions,
      List<Integer> levels,
      int rounds,
      int warmups,
      int clientThreads,
      int window,
      long idleMillis,
      long pauseMillis,
      double broadcastTimeoutSeconds,
      boolean histogram) {

    static Settings fromProperties() {
      List<String> opts =
          new ArrayList<>(
              Arrays.asList(
                  System.getProperty("bench.ws.herald.heap", "-Xms1g -Xmx1g -XX:+AlwaysPreTouch")
                      .trim()
                      .split("\\s+")));
      String extra = System.getProperty("bench.herald.opts", "").trim();
      if (!extra.isEmpty()) opts.addAll(Arrays.asList(extra.split("\\s+")));
      return new Settings(
          Path.of(System.getProperty("java.home"), "bin", "java"),
          Path.of(System.getProperty("bench.jar", "herald-server/target/herald.jar")),
          Path.of(System.getProperty("bench.work", System.getProperty("java.io.tmpdir"))),
          Path.of(System.getProperty("bench.results", "bench/results")),
          Path.of(System.getProperty("bench.ws.peer", "bench/peers/ws-node")),
          System.getProperty("bench.ws.node", "node"),
          opts,
          Arrays.stream(System.getProperty("bench.ws.levels", "5000,10000,19000").split(","))
              .map(String::trim)
              .map(Integer::valueOf)
              .toList(),
          Integer.getInteger("bench.ws.rounds", 5),
          Integer.getInteger("bench.ws.warmups", 1),
          Integer.getInteger("bench.ws.client.threads", 2),
          Integer.getInteger("bench.ws.window", 256),
          Long.getLong("bench.ws.idle.millis", 5_000),
          Long.getLong("bench.ws.pause.millis", 2_000),
          Double.parseDouble(System.getProperty("bench.ws.timeout.seconds", "60")),
          Boolean.parseBoolean(System.getProperty("bench.ws.histogram", "true")));
    }

    Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("levels", levels);
      m.put("rounds", rounds);
      m.put("warmup_rounds", warmups);
      m.put(
          "client",
          "one JVM, " + clientThreads + " selector threads, " + window + " handshakes in flight");
      m.put("herald_jvm_options", heraldOptions);
      m.put("idle_seconds_before_memory", idleMillis / 1000.0);
      m.put("pause_between_rounds_seconds", pauseMillis / 1000.0);
      return m;
    }
  }

  static InetSocketAddress loopback(int port) {
    return new InetSocketAddress("127.0.0.1", port);
  }

  static UncheckedIOException unchecked(IOException e) {
    return new UncheckedIOException(e);
  }
}
