package dev.herald.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Herald as a separate operating-system process, started from the built jar, so tests can kill it
 * with SIGKILL or stop it with SIGTERM like an operator would.
 */
public final class HeraldProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private HeraldProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts Herald on a free port with {@code dataDir} and extra {@code env}; waits until ready. */
  public static HeraldProcess start(Path dataDir, Map<String, String> env) {
    String jar = System.getProperty("herald.jar");
    if (jar == null || !new File(jar).isFile()) {
      throw new IllegalStateException(
          "herald.jar not built; run process tests with `./mvnw verify`");
    }
    int port = freePort();
    Map<String, String> vars = new HashMap<>();
    vars.put("HERALD_HOST", "127.0.0.1");
    vars.put("HERALD_PORT", String.valueOf(port));
    vars.put("HERALD_DATA_DIR", dataDir.toString());
    vars.put("HERALD_ADMIN_KEY", TestServer.ADMIN_KEY);
    vars.put("HERALD_BOOTSTRAP_SECRET_KEY", TestServer.SECRET_KEY);
    vars.put("HERALD_BOOTSTRAP_PUBLISHABLE_KEY", TestServer.PUBLISHABLE_KEY);
    vars.put("HERALD_RATE_LIMIT", "0");
    vars.putAll(env);
    Path log = dataDir.resolve("herald-" + System.nanoTime() + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-jar", jar, "serve");
    pb.environment().putAll(vars);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    try {
      HeraldProcess p = new HeraldProcess(pb.start(), port, log);
      p.awaitReady(Duration.ofSeconds(60));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ApiClient api() {
    return new ApiClient(baseUrl()).withKey(TestServer.SECRET_KEY);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Path logFile() {
    return log;
  }

  /** SIGKILL: no shutdown code runs, as in a crash or power cut of the process. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM; answers the exit code. */
  public int terminate(Duration timeout) {
    process.destroy();
    return waitFor(timeout);
  }

  private int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("Herald did not exit within " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive())
        throw new IllegalStateException("Herald exited during start; see " + log);
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
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

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
