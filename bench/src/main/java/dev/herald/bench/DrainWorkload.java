package dev.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Queue drain with a no-op handler ({@link DrainBench} in its own JVM, so its CPU is measured
 * alone), at the production lane size (32) and a wide one.
 */
final class DrainWorkload {
  private DrainWorkload() {}

  static void run(Target target, Report report) {
    int jobs = Integer.getInteger("bench.drain.jobs", 200_000);
    int[] sizes =
        Arrays.stream(System.getProperty("bench.drain.workers", "32,256").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim()))
            .toArray();
    report.put("jobs", jobs);
    report.line(
        "%d no-op jobs enqueued in batches of %d into one lane, then drained by Herald's Workers"
            + " (claim batch, run on virtual threads, complete through the group-commit writer)",
        jobs, DrainBench.ENQUEUE_BATCH);
    List<Map<String, Object>> runs = new ArrayList<>();
    for (int workers : sizes) {
      String[] db = target.newDatabase("drain-" + workers);
      Path out = target.work.resolve("drain-" + workers + "-" + System.nanoTime() + ".json");
      Path log = target.work.resolve(out.getFileName() + ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(target.java.toString());
      cmd.add("--enable-native-access=ALL-UNNAMED");
      cmd.addAll(target.jvmOptions);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(DrainBench.class.getName());
      cmd.addAll(
          List.of(
              db[0],
              db[1].isEmpty() ? "-" : db[1],
              String.valueOf(jobs),
              String.valueOf(workers),
              out.toString()));
      target.postgresDataDir().ifPresent(cmd::add);
      try {
        Files.createDirectories(out.getParent());
        Process p =
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IllegalStateException("drain did not finish in 15 minutes; see " + log);
        }
        if (p.exitValue() != 0 || !Files.exists(out))
          throw new IllegalStateException("drain failed; see " + log + ":\n" + tail(log));
        JsonNode r = Api.JSON.readTree(Files.readString(out));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("workers", workers);
        run.put("result", r);
        runs.add(run);
        report.line(
            "  %3d workers: enqueue %.0f jobs/s; drain %d jobs in %.1f s = %.0f jobs/s (%d left);"
                + " per-second %s",
            workers,
            r.path("enqueued_per_second").asDouble(),
            r.path("completed").asLong(),
            r.path("drain_seconds").asDouble(),
            r.path("drained_per_second").asDouble(),
            r.path("jobs_left_in_table").asLong(),
            r.path("completed_per_second_timeline"));
        report.line(
            "       drain %s (herald = the drain JVM)", r.path("drain_cpu_description").asString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    report.put("runs", runs);
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
