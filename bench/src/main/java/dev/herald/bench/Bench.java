package dev.herald.bench;

import dev.herald.config.HeraldConfig;
import dev.herald.observability.LogSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Runs the workloads against a Herald started from the built jar, on SQLite and/or PostgreSQL, and
 * writes each result to {@code bench/results}. Started by {@code bench/run}:
 *
 * <pre>Bench all|ingest|batch|drain|fanout|critical[,…] sqlite|postgres|both</pre>
 *
 * with system properties {@code bench.jar} (the server jar), {@code bench.results} (output folder),
 * {@code bench.work} (scratch folder for data), {@code bench.git} (revision measured) and {@code
 * bench.herald.opts} (extra JVM options for the server, e.g. a flight recording).
 */
public final class Bench {
  static final List<String> WORKLOADS = List.of("ingest", "batch", "drain", "fanout", "critical");

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println(
          "usage: Bench all|" + String.join("|", WORKLOADS) + " [sqlite|postgres|both]");
      System.exit(2);
    }
    List<String> workloads = args[0].equals("all") ? WORKLOADS : Arrays.asList(args[0].split(","));
    for (String w : workloads) {
      if (!WORKLOADS.contains(w)) {
        System.err.println("unknown workload '" + w + "'; known: " + WORKLOADS);
        System.exit(2);
      }
    }
    String dbArg = args.length > 1 ? args[1] : "both";
    List<String> dbs =
        switch (dbArg) {
          case "both" -> List.of("sqlite", "postgres");
          case "sqlite", "postgres" -> List.of(dbArg);
          default -> {
            System.err.println("database must be sqlite, postgres or both");
            System.exit(2);
            yield List.of();
          }
        };
    LogSetup.configure(HeraldConfig.LogFormat.TEXT);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.zonky"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path jar = Path.of(required("bench.jar"));
    Path results = Path.of(required("bench.results"));
    Path work =
        Path.of(
            System.getProperty("bench.work", Files.createTempDirectory("herald-bench").toString()));
    List<String> opts = new ArrayList<>();
    String extra = System.getProperty("bench.herald.opts", "").trim();
    if (!extra.isEmpty()) opts.addAll(Arrays.asList(extra.split("\\s+")));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
    Machine machine = Machine.probe();
    System.out.println("machine: " + machine.oneLine());

    List<Path> written = new ArrayList<>();
    for (String db : dbs) {
      try (Target target = Target.open(db, java, jar, work.resolve(db), opts)) {
        for (String w : workloads) {
          System.out.println("== " + w + " on " + db);
          Report report = new Report(w, db);
          try {
            switch (w) {
              case "ingest" -> IngestWorkload.run(target, report);
              case "batch" -> BatchWorkload.run(target, report);
              case "drain" -> DrainWorkload.run(target, report);
              case "fanout" -> FanoutWorkload.run(target, report);
              case "critical" -> CriticalWorkload.run(target, report);
              default -> throw new IllegalArgumentException(w);
            }
          } catch (RuntimeException e) {
            report.line("FAILED: %s", e);
            report.put("failure", e.toString());
            e.printStackTrace();
          }
          written.add(report.write(results, stamp, machine, target.describe()));
        }
      }
    }
    System.out.println();
    System.out.println("==== summary (" + machine.oneLine() + ")");
    for (Path p : written) {
      System.out.println();
      System.out.println(
          Files.readString(p).lines().skip(3).reduce((a, b) -> a + "\n" + b).orElse(""));
      System.out.println("  -> " + p + " (+ .json)");
    }
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank())
      throw new IllegalArgumentException("-D" + property + " is required");
    return v;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Seconds from a system property, so a run can be made shorter or longer without editing code.
   */
  static int seconds(String property, int fallback) {
    return Integer.getInteger(property, fallback);
  }
}
