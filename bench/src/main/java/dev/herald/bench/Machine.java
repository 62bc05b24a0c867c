package dev.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The machine a result was measured on, recorded beside every number. */
public record Machine(
    int nproc,
    String cpuModel,
    long memoryMib,
    String kernel,
    String jdk,
    String loadAverageAtStart,
    String gitRevision,
    String measuredAt) {

  static Machine probe() {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        firstValue(Path.of("/proc/cpuinfo"), "model name"),
        parseKib(firstValue(Path.of("/proc/meminfo"), "MemTotal")) / 1024,
        read(Path.of("/proc/sys/kernel/osrelease")),
        System.getProperty("java.vm.vendor")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.home")
            + ")",
        read(Path.of("/proc/loadavg")),
        System.getProperty("bench.git", "unknown"),
        Instant.now().toString());
  }

  String oneLine() {
    return String.format(
        "%d cores %s, %d MiB RAM, Linux %s, %s; load average at start %s; revision %s",
        nproc, cpuModel, memoryMib, kernel, jdk, loadAverageAtStart, gitRevision);
  }

  private static String firstValue(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String l : lines) {
        int colon = l.indexOf(':');
        if (colon > 0 && l.substring(0, colon).trim().equals(key))
          return l.substring(colon + 1).trim();
      }
    } catch (IOException e) {
      // not Linux: unknown
    }
    return "unknown";
  }

  private static long parseKib(String v) {
    try {
      return Long.parseLong(v.replace("kB", "").trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
