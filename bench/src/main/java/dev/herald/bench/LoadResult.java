package dev.herald.bench;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one load run measured. Latencies are in milliseconds; {@code latency} is from each request's
 * due time (open model) and {@code service} from when it was actually sent.
 */
public record LoadResult(
    String model,
    double offeredRate,
    int connections,
    double durationSeconds,
    double elapsedSeconds,
    long sent,
    long ok,
    long missed,
    Map<String, Long> errors,
    Map<String, Long> errorSamples,
    Percentiles latency,
    Percentiles service,
    List<Second> timeline) {

  public double achievedRate() {
    return ok / elapsedSeconds;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Latency percentiles in milliseconds. */
  public record Percentiles(
      long count, double p50, double p90, double p99, double p999, double max, double mean) {
    static Percentiles of(Histogram h) {
      if (h.getTotalCount() == 0) return new Percentiles(0, 0, 0, 0, 0, 0, 0);
      return new Percentiles(
          h.getTotalCount(),
          ms(h.getValueAtPercentile(50)),
          ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)),
          ms(h.getValueAtPercentile(99.9)),
          ms(h.getMaxValue()),
          Math.round(h.getMean()) / 1000.0);
    }

    private static double ms(long us) {
      return us / 1000.0;
    }
  }

  /** One second of the run: answers completed in it, and their latency. */
  public record Second(long second, long answered, double p50, double p99) {}

  public String summary() {
    return String.format(
        "%s %s req/s x%d conns: ok %d in %.1fs = %.0f/s, errors %d, missed %d;"
            + " latency p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.1f ms",
        model,
        offeredRate > 0 ? String.format("%.0f", offeredRate) : "max",
        connections,
        ok,
        elapsedSeconds,
        achievedRate(),
        errorCount(),
        missed,
        latency.p50(),
        latency.p90(),
        latency.p99(),
        latency.p999(),
        latency.max());
  }
}
