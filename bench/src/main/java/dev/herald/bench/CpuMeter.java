package dev.herald.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time spent between two snapshots by the server under test, by PostgreSQL (every process below
 * a postmaster serving {@code pgDataDir}), by this load generator, and by the whole machine, from
 * {@code /proc}. On a shared machine the difference is what other processes took.
 */
final class CpuMeter {
  private static final double TICKS = 100.0; // USER_HZ on Linux

  private final long serverPid;
  private final String pgDataDir;
  private final boolean selfIsServer;

  CpuMeter(long serverPid, String pgDataDir) {
    this(serverPid, pgDataDir, false);
  }

  private CpuMeter(long serverPid, String pgDataDir, boolean selfIsServer) {
    this.serverPid = serverPid;
    this.pgDataDir = pgDataDir;
    this.selfIsServer = selfIsServer;
  }

  /** For a process that is itself the system under test (no separate load generator). */
  static CpuMeter ofThisProcess(String pgDataDir) {
    return new CpuMeter(ProcessHandle.current().pid(), pgDataDir, true);
  }

  record Snapshot(long nanos, long machineBusy, long machineAll, long server, long pg, long self) {}

  /** CPU-seconds per consumer over {@code seconds} of wall time; {@code others} is the rest. */
  record Usage(
      double seconds,
      double serverCpu,
      double postgresCpu,
      double loadGeneratorCpu,
      double machineCpu,
      double othersCpu,
      double machineCapacity) {
    String describe() {
      return String.format(
          "CPU over %.1fs: herald %.1f cores, postgres %.1f, load generator %.1f, others %.1f"
              + " (machine busy %.0f%%)",
          seconds,
          serverCpu / seconds,
          postgresCpu / seconds,
          loadGeneratorCpu / seconds,
          othersCpu / seconds,
          100 * machineCpu / machineCapacity);
    }
  }

  Snapshot take() {
    long[] machine = machine();
    return new Snapshot(
        System.nanoTime(),
        machine[0],
        machine[1],
        serverPid > 0 ? ticks(serverPid) : 0,
        pgDataDir != null ? postgresTicks() : 0,
        selfIsServer ? 0 : ticks(ProcessHandle.current().pid()));
  }

  Usage since(Snapshot a) {
    Snapshot b = take();
    double seconds = (b.nanos() - a.nanos()) / 1e9;
    double server = (b.server() - a.server()) / TICKS;
    double pg = Math.max(0, b.pg() - a.pg()) / TICKS;
    double self = (b.self() - a.self()) / TICKS;
    double machine = (b.machineBusy() - a.machineBusy()) / TICKS;
    double capacity = (b.machineAll() - a.machineAll()) / TICKS;
    return new Usage(
        seconds, server, pg, self, machine, Math.max(0, machine - server - pg - self), capacity);
  }

  /** busy and all ticks of the whole machine, from the first line of /proc/stat. */
  private static long[] machine() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
      String[] f = first.trim().split("\\s+");
      long user = Long.parseLong(f[1]);
      long nice = Long.parseLong(f[2]);
      long system = Long.parseLong(f[3]);
      long idle = Long.parseLong(f[4]);
      long iowait = Long.parseLong(f[5]);
      long irq = Long.parseLong(f[6]);
      long softirq = Long.parseLong(f[7]);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      long busy = user + nice + system + irq + softirq + steal;
      return new long[] {busy, busy + idle + iowait};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 1};
    }
  }

  /** utime + stime of one process (all its threads). */
  static long ticks(long pid) {
    String[] f = stat(pid);
    return f == null ? 0 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The fields of /proc/pid/stat after the command name: f[0] is the state, f[1] the parent. */
  private static String[] stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      return s.substring(s.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private long postgresTicks() {
    Map<Long, List<Long>> children = new HashMap<>();
    Set<Long> roots = new HashSet<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        long pid = Long.parseLong(p.getFileName().toString());
        String[] f = stat(pid);
        if (f == null) continue;
        children.computeIfAbsent(Long.parseLong(f[1]), k -> new java.util.ArrayList<>()).add(pid);
        if (cmdline(pid).contains(pgDataDir)) roots.add(pid);
      }
    } catch (IOException e) {
      return 0;
    }
    long total = 0;
    Set<Long> seen = new HashSet<>();
    ArrayDeque<Long> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      long pid = todo.pop();
      if (!seen.add(pid)) continue;
      total += ticks(pid);
      todo.addAll(children.getOrDefault(pid, List.of()));
    }
    return total;
  }

  private static String cmdline(long pid) {
    try {
      byte[] b = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
      return new String(b, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }
}
