package dev.herald.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server (Debian's {@code redis-server}) as a child process on a free loopback port,
 * in memory only, for one test class. {@link #kill()} and {@link #restart()} on the same port let a
 * test cut every client off and bring the server back; {@link #close()} stops it.
 */
public final class TestRedis implements AutoCloseable {
  private static final Path DEBIAN_BINARY = Path.of("/usr/bin/redis-server");

  private final Path binary;
  private final int port;
  private final Path log;
  private Process process;

  private TestRedis(Path binary, int port, Path log) {
    this.binary = binary;
    this.port = port;
    this.log = log;
  }

  /** Starts a server; fails with what to install when {@code redis-server} is missing. */
  public static TestRedis start() {
    try {
      Path log = Files.createTempFile("test-redis", ".log");
      log.toFile().deleteOnExit();
      TestRedis redis = new TestRedis(binary(), freePort(), log);
      redis.startProcess();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** SIGKILL: clients see their connections reset, as when a Redis host dies. */
  public synchronized void kill() {
    if (process == null) return;
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts the server again on the same port after {@link #kill()}. */
  public synchronized void restart() {
    if (process != null) throw new IllegalStateException("Redis is running");
    startProcess();
  }

  private synchronized void startProcess() {
    ProcessBuilder pb =
        new ProcessBuilder(
            binary.toString(),
            "--port",
            String.valueOf(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + binary, e);
    }
    Process started = process;
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(started::destroyForcibly));
    awaitPong(Duration.ofSeconds(20));
  }

  private void awaitPong(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited at start; see " + log);
      }
      if (answersPing()) return;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "redis-server did not answer within " + timeout + "; see " + log);
  }

  private boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(1_000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private static Path binary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        Path candidate = Path.of(dir, "redis-server");
        if (Files.isExecutable(candidate)) return candidate;
      }
    }
    if (Files.isExecutable(DEBIAN_BINARY)) return DEBIAN_BINARY;
    throw new IllegalStateException(
        "redis-server is not installed: the Redis tests run a real server. Install Debian's"
            + " redis-server package (.ci/run installs it when missing).");
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
    kill();
  }
}
