package dev.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Herald under test: the built jar in its own JVM, configured only through {@code HERALD_*}
 * variables as an operator would, on a loopback port with rate limiting off.
 */
final class HeraldProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final String key;
  private final Path log;

  private HeraldProcess(Process process, int port, String key, Path log) {
    this.process = process;
    this.port = port;
    this.key = key;
    this.log = log;
  }

  static HeraldProcess start(
      Path java, Path jar, Path dataDir, Map<String, String> env, List<String> jvmOptions) {
    int port = freePort();
    String key = "sk_bench_" + Long.toHexString(System.nanoTime()) + "0123456789abcdef";
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("serve");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("HERALD_"));
    e.put("HERALD_HOST", "127.0.0.1");
    e.put("HERALD_PORT", String.valueOf(port));
    e.put("HERALD_DATA_DIR", dataDir.toString());
    e.put("HERALD_RATE_LIMIT", "0");
    e.put("HERALD_BOOTSTRAP_SECRET_KEY", key);
    e.putAll(env);
    try {
      Files.createDirectories(dataDir);
      Path log = dataDir.resolve("herald.log");
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      HeraldProcess p = new HeraldProcess(pb.start(), port, key, log);
      p.awaitReady(Duration.ofSeconds(90));
      return p;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  int port() {
    return port;
  }

  String key() {
    return key;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  Api api() {
    return new Api("127.0.0.1", port, key);
  }

  /** Peak resident memory of the process so far (VmHWM), in MiB. */
  long peakRssMib() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
        if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
      }
    } catch (IOException | RuntimeException e) {
      // gone or not Linux
    }
    return -1;
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] ready = HttpConnection.request("GET", "/health/ready", "127.0.0.1", null, null);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive())
        throw new IllegalStateException("Herald exited during start; see " + log);
      try (HttpConnection c = new HttpConnection("127.0.0.1", port)) {
        if (c.exchange(ready).status() == 200) return;
      } catch (IOException e) {
        // not listening yet
      }
      Bench.sleep(100);
    }
    throw new IllegalStateException("Herald was not ready within " + timeout + "; see " + log);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, as an operator stops it; SIGKILL if it has not exited after 30 s. */
  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
