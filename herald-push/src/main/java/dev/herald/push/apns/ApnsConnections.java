package dev.herald.push.apns;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A few HTTP/2 connections to one APNs host and a queue in front of them. Requests wait in the
 * queue until a connection has a free stream; connections open on first use and again after they
 * close. When no connection can be opened, everything queued becomes a Retry at once rather than
 * waiting, and a failed connection is not retried for {@link #RECONNECT_DELAY_NANOS}. Thread-safe
 * and lock-free: whoever adds to the queue or frees a stream drains it.
 */
final class ApnsConnections {
  /** Long enough not to hammer an endpoint that refuses us, short next to any retry backoff. */
  static final long RECONNECT_DELAY_NANOS = 1_000_000_000L;

  private final HTTP2Client client;
  private final SslContextFactory.Client tls;
  private final Executor executor;
  private final String host;
  private final int port;
  private final String topic;
  private final int maxStreams;
  private final long connectTimeoutMillis;
  private final Slot[] slots;
  private final ConcurrentLinkedQueue<ApnsExchange> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;

  private static final class Slot {
    volatile ApnsConnection connection;
    // The connection being opened, if any; whoever clears it decides how the attempt ended.
    final AtomicReference<ApnsConnection> opening = new AtomicReference<>();
    volatile long retryAt = System.nanoTime();
    volatile String lastFailure;
  }

  ApnsConnections(
      HTTP2Client client,
      SslContextFactory.Client tls,
      String host,
      int port,
      String topic,
      int connections,
      int maxStreams,
      long connectTimeoutMillis) {
    this.client = client;
    this.tls = tls;
    this.executor = client.getExecutor();
    this.host = host;
    this.port = port;
    this.topic = topic;
    this.maxStreams = maxStreams;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.slots = new Slot[connections];
    for (int i = 0; i < connections; i++) slots[i] = new Slot();
  }

  void submit(ApnsExchange exchange) {
    if (closed) {
      exchange.fail("APNs client closed");
      return;
    }
    queue.add(exchange);
    drain();
  }

  /** Starts queued requests while some connection has room. */
  void drain() {
    while (!queue.isEmpty()) {
      ApnsConnection connection = acquire();
      if (connection == null) {
        if (closed || !anyOpenOrOpening()) failQueued();
        return;
      }
      ApnsExchange exchange = queue.poll();
      if (exchange == null) {
        connection.releaseUnused();
        return;
      }
      connection.start(exchange, "https", host, port, topic);
    }
  }

  int inFlight() {
    int n = 0;
    for (Slot slot : slots) {
      ApnsConnection c = slot.connection;
      if (c != null) n += c.inFlight();
    }
    return n + queue.size();
  }

  void close() {
    closed = true;
    for (Slot slot : slots) {
      ApnsConnection c = slot.connection;
      if (c != null) c.close("APNs client closed");
    }
    failQueued();
  }

  private ApnsConnection acquire() {
    int n = slots.length;
    int start = next.getAndIncrement();
    for (int i = 0; i < n; i++) {
      Slot slot = slots[Math.floorMod(start + i, n)];
      ApnsConnection c = slot.connection;
      if (c != null && c.isUsable()) {
        if (c.tryAcquire()) return c;
      } else {
        maybeConnect(slot);
      }
    }
    return null;
  }

  private boolean anyOpenOrOpening() {
    for (Slot slot : slots) {
      ApnsConnection c = slot.connection;
      if ((c != null && c.isUsable()) || slot.opening.get() != null) return true;
    }
    return false;
  }

  private void failQueued() {
    String reason = closed ? "APNs client closed" : "cannot connect to APNs: " + lastFailure();
    for (ApnsExchange e = queue.poll(); e != null; e = queue.poll()) e.fail(reason);
  }

  private String lastFailure() {
    for (Slot slot : slots) if (slot.lastFailure != null) return slot.lastFailure;
    return "no connection";
  }

  private void maybeConnect(Slot slot) {
    if (closed || System.nanoTime() - slot.retryAt < 0) return;
    ApnsConnection connection = new ApnsConnection(this, maxStreams);
    if (!slot.opening.compareAndSet(null, connection)) return;
    // Jetty's connect timeout covers TCP only; a TLS handshake that stalls would hold the queue.
    client
        .getScheduler()
        .schedule(
            () ->
                failed(
                    slot,
                    connection,
                    new TimeoutException("no connection within " + connectTimeoutMillis + " ms")),
            connectTimeoutMillis,
            TimeUnit.MILLISECONDS);
    // Name resolution blocks: keep it off the caller's thread.
    executor.execute(
        () -> {
          try {
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) throw new UnknownHostException(host);
            client.connect(
                tls,
                address,
                connection,
                Promise.from(
                    session -> opened(slot, connection, session),
                    failure -> failed(slot, connection, failure)));
          } catch (Throwable failure) {
            failed(slot, connection, failure);
          }
        });
  }

  private void opened(Slot slot, ApnsConnection connection, Session s) {
    connection.opened(s);
    if (!slot.opening.compareAndSet(connection, null)) {
      connection.close("connected too late"); // the attempt already timed out
      return;
    }
    slot.connection = connection;
    slot.lastFailure = null;
    if (closed) connection.close("APNs client closed");
    drain();
  }

  private void failed(Slot slot, ApnsConnection connection, Throwable failure) {
    if (!slot.opening.compareAndSet(connection, null)) return;
    slot.lastFailure = ApnsExchange.describe(failure);
    slot.retryAt = System.nanoTime() + RECONNECT_DELAY_NANOS;
    drain();
  }
}
