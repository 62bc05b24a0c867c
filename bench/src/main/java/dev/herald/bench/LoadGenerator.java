package dev.herald.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives HTTP load over keep-alive connections, in one of two models.
 *
 * <p><b>Open model</b> ({@code rate > 0}): request {@code i} is due at {@code start + i / rate},
 * whatever happened to earlier requests, and its latency is measured from that due time, not from
 * when a connection was free to send it. A server that stalls therefore shows the stall in every
 * request that queued behind it (no coordinated omission). Requests still unsent when the run is
 * cut off are counted as missed and recorded with the time they had waited, a lower bound.
 *
 * <p><b>Closed model</b> ({@code rate <= 0}): every connection sends its next request as soon as
 * the previous one is answered; latency is service time. Used to find a ceiling, not for latency.
 *
 * <p>Latencies are recorded in microseconds in HdrHistogram recorders (3 significant digits).
 */
public final class LoadGenerator {
  private static final long MAX_LATENCY_US = Duration.ofMinutes(10).toNanos() / 1000;

  /** Answers the bytes of request {@code i} (see {@link HttpConnection#request}). */
  public interface Requests {
    byte[] request(long i);
  }

  /** Hears each answer, e.g. to collect ids; called on the connection's thread. */
  public interface Listener {
    Listener NONE = (i, status, body) -> {};

    void answered(long i, int status, byte[] body);
  }

  /**
   * @param rate requests per second; 0 or less for the closed model
   * @param grace how long after {@code duration} late requests may still be sent (open model)
   */
  public record Options(
      String host, int port, int connections, double rate, Duration duration, Duration grace) {}

  private LoadGenerator() {}

  public static LoadResult run(Options o, Requests requests, Listener listener) {
    return new Run(o, requests, listener).execute();
  }

  private static final class Run {
    final Options o;
    final Requests requests;
    final Listener listener;
    final Recorder latency = new Recorder(MAX_LATENCY_US, 3);
    final Recorder service = new Recorder(MAX_LATENCY_US, 3);
    final AtomicLong next = new AtomicLong();
    final LongAdder ok = new LongAdder();
    final LongAdder ioErrors = new LongAdder();
    final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    final Map<String, LongAdder> errorSamples = new ConcurrentHashMap<>();
    final List<LoadResult.Second> timeline = new ArrayList<>();
    final long start;
    final long end;
    final long stop;
    final double intervalNs;
    final long total;
    volatile long lastDone;

    Run(Options o, Requests requests, Listener listener) {
      this.o = o;
      this.requests = requests;
      this.listener = listener;
      this.start = System.nanoTime() + 50_000_000L; // let every connection thread start first
      this.end = start + o.duration().toNanos();
      this.stop = end + (o.rate() > 0 ? o.grace().toNanos() : 0);
      this.intervalNs = o.rate() > 0 ? 1e9 / o.rate() : 0;
      this.total = o.rate() > 0 ? (long) (o.duration().toNanos() / intervalNs) : Long.MAX_VALUE;
    }

    LoadResult execute() {
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < o.connections(); c++) {
        threads.add(Thread.ofVirtual().name("load-" + c).start(this::connection));
      }
      Histogram all = new Histogram(MAX_LATENCY_US, 3);
      Histogram allService = new Histogram(MAX_LATENCY_US, 3);
      Histogram interval = null;
      Histogram intervalService = null;
      long tick = start + 1_000_000_000L;
      long second = 0;
      while (threads.stream().anyMatch(Thread::isAlive)) {
        long now = System.nanoTime();
        if (now >= tick) {
          interval = latency.getIntervalHistogram(interval);
          intervalService = service.getIntervalHistogram(intervalService);
          all.add(interval);
          allService.add(intervalService);
          timeline.add(second(++second, interval));
          tick += 1_000_000_000L;
        }
        LockSupport.parkNanos(Math.min(20_000_000L, Math.max(1, tick - now)));
      }
      long finished = Math.max(lastDone, Math.min(System.nanoTime(), stop));
      interval = latency.getIntervalHistogram(interval);
      all.add(interval);
      all.add(missed(finished));
      allService.add(service.getIntervalHistogram(intervalService));
      if (interval.getTotalCount() > 0) timeline.add(second(++second, interval));
      double elapsed = Math.max(1, Math.max(finished, end) - start) / 1e9;
      Map<String, Long> errors = new TreeMap<>();
      statuses.forEach((s, n) -> errors.put("http_" + s, n.sum()));
      if (ioErrors.sum() > 0) errors.put("io", ioErrors.sum());
      long sent = Math.min(next.get(), total);
      return new LoadResult(
          o.rate() > 0 ? "open" : "closed",
          o.rate(),
          o.connections(),
          o.duration().toMillis() / 1000.0,
          elapsed,
          sent,
          ok.sum(),
          missedCount(),
          errors,
          Map.copyOf(
              errorSamples.entrySet().stream()
                  .limit(5)
                  .collect(
                      java.util.stream.Collectors.toMap(
                          Map.Entry::getKey, e -> e.getValue().sum()))),
          LoadResult.Percentiles.of(all),
          LoadResult.Percentiles.of(allService),
          List.copyOf(timeline));
    }

    private long missedCount() {
      return Math.max(0, total == Long.MAX_VALUE ? 0 : total - Math.min(next.get(), total));
    }

    /** Requests never sent (the run was cut off): each waited at least until the cut. */
    private Histogram missed(long cut) {
      Histogram h = new Histogram(MAX_LATENCY_US, 3);
      if (total == Long.MAX_VALUE) return h;
      for (long i = Math.min(next.get(), total); i < total; i++) {
        long due = start + (long) (i * intervalNs);
        h.recordValue(clamp((cut - due) / 1000));
      }
      return h;
    }

    private LoadResult.Second second(long n, Histogram h) {
      return new LoadResult.Second(
          n,
          h.getTotalCount(),
          h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0,
          h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0);
    }

    private void connection() {
      try (HttpConnection conn = new HttpConnection(o.host(), o.port())) {
        if (o.rate() > 0) open(conn);
        else closed(conn);
      }
    }

    private void open(HttpConnection conn) {
      while (true) {
        long i = next.getAndIncrement();
        if (i >= total) return;
        long due = start + (long) (i * intervalNs);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
        if (System.nanoTime() > stop) {
          next.getAndDecrement(); // unsent: counted as missed
          return;
        }
        send(conn, i, due);
      }
    }

    private void closed(HttpConnection conn) {
      long wait;
      while ((wait = start - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
      while (System.nanoTime() < end) {
        long i = next.getAndIncrement();
        send(conn, i, System.nanoTime());
      }
    }

    private void send(HttpConnection conn, long i, long due) {
      long sent = System.nanoTime();
      int status;
      byte[] body = null;
      try {
        HttpConnection.Response r = conn.exchange(requests.request(i));
        status = r.status();
        body = r.body();
      } catch (IOException e) {
        status = -1;
        ioErrors.increment();
        sample("io: " + e.getMessage());
      }
      long done = System.nanoTime();
      lastDone = done;
      latency.recordValue(clamp((done - due) / 1000));
      service.recordValue(clamp((done - sent) / 1000));
      if (status >= 200 && status < 300) {
        ok.increment();
      } else if (status > 0) {
        statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
        sample(
            status + " " + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
      }
      listener.answered(i, status, body);
    }

    private void sample(String error) {
      if (errorSamples.size() < 20) errorSamples.computeIfAbsent(error, k -> new LongAdder());
      LongAdder n = errorSamples.get(error);
      if (n != null) n.increment();
    }
  }

  private static long clamp(long us) {
    return Math.max(1, Math.min(MAX_LATENCY_US, us));
  }

  /**
   * Stand-alone use against any running Herald: {@code LoadGenerator <base-url> <secret-key> <rate>
   * <seconds> [connections] [json-body]}; posts the body (default: one subscriber, push) to {@code
   * /v1/notifications}.
   */
  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println(
          "usage: LoadGenerator <base-url> <secret-key> <rate|0> <seconds> [connections]"
              + " [json-body]");
      System.exit(2);
    }
    java.net.URI base = java.net.URI.create(args[0]);
    int connections = args.length > 4 ? Integer.parseInt(args[4]) : 128;
    String json =
        args.length > 5
            ? args[5]
            : "{\"to\":{\"subscribers\":[\"load-1\"]},\"channels\":[\"push\"],\"title\":\"Load\",\"body\":\"test\"}";
    byte[] request =
        HttpConnection.request(
            "POST",
            "/v1/notifications",
            base.getAuthority(),
            args[1],
            json.getBytes(StandardCharsets.UTF_8));
    LoadResult r =
        run(
            new Options(
                base.getHost(),
                base.getPort(),
                connections,
                Double.parseDouble(args[2]),
                Duration.ofSeconds(Long.parseLong(args[3])),
                Duration.ofSeconds(5)),
            i -> request,
            Listener.NONE);
    System.out.println(r.summary());
  }
}
