package dev.herald.push.apns;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.util.Callback;

/**
 * One HTTP/2 connection to APNs and the streams in flight on it. Streams are counted here, not by
 * Jetty, so a request waits in the pool's queue instead of failing when the connection is full: at
 * most {@code maxStreams}, or fewer when the server's SETTINGS say so, and one until the server's
 * first SETTINGS arrive. Thread-safe.
 */
final class ApnsConnection implements Session.Listener {
  private final ApnsConnections pool;
  private final int maxStreams;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Set<ApnsExchange> exchanges = ConcurrentHashMap.newKeySet();
  private volatile int limit = 1;
  private volatile boolean settingsSeen;
  private volatile HTTP2Session session;
  private volatile boolean closed;

  ApnsConnection(ApnsConnections pool, int maxStreams) {
    this.pool = pool;
    this.maxStreams = maxStreams;
  }

  void opened(Session session) {
    HTTP2Session http2 = (HTTP2Session) session;
    // Every header value is checked where it is made (ApnsRequest.refusal, the builder): skip
    // HPACK's own per-request validation.
    http2.getGenerator().getHpackEncoder().setValidateEncoding(false);
    this.session = http2;
  }

  boolean isUsable() {
    HTTP2Session s = session;
    return s != null && !closed && !s.isClosed();
  }

  boolean isClosed() {
    return closed;
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Takes a stream slot, or answers false when the connection is full or going away. */
  boolean tryAcquire() {
    while (true) {
      int n = inFlight.get();
      if (n >= limit || !isUsable()) return false;
      if (inFlight.compareAndSet(n, n + 1)) return true;
    }
  }

  /** Gives back a slot taken by {@link #tryAcquire()} without using it. */
  void releaseUnused() {
    inFlight.decrementAndGet();
  }

  void start(ApnsExchange exchange, String scheme, String host, int port, String topic) {
    exchange.started(this);
    exchanges.add(exchange);
    if (closed) {
      exchange.fail("connection closed");
      return;
    }
    session.newStream(
        exchange.frames(scheme, host, port, topic), exchange.streamPromise(), exchange);
  }

  /** The exchange is complete: free its slot and let the queue move. */
  void finished(ApnsExchange exchange) {
    if (exchanges.remove(exchange)) {
      inFlight.decrementAndGet();
      pool.drain();
    }
  }

  @Override
  public void onSettings(Session session, SettingsFrame frame) {
    Map<Integer, Integer> settings = frame.getSettings();
    Integer serverMax = settings.get(SettingsFrame.MAX_CONCURRENT_STREAMS);
    if (serverMax != null) limit = Math.max(1, Math.min(maxStreams, serverMax));
    else if (!settingsSeen) limit = maxStreams;
    settingsSeen = true;
    pool.drain();
  }

  @Override
  public void onGoAway(Session session, GoAwayFrame frame) {
    // No new streams here; the ones in flight finish or fail on their own.
    closed = true;
    pool.drain();
  }

  @Override
  public void onClose(Session session, GoAwayFrame frame, Callback callback) {
    String why = frame != null ? frame.tryConvertPayload() : null;
    closedNow("connection closed" + (why != null && !why.isEmpty() ? " (" + why + ")" : ""));
    callback.succeeded();
  }

  @Override
  public void onFailure(Session session, Throwable failure, Callback callback) {
    closedNow("connection failed: " + ApnsExchange.describe(failure));
    callback.succeeded();
  }

  @Override
  public boolean onIdleTimeout(Session session) {
    // An idle connection is closed; the next request opens a new one.
    closed = true;
    return true;
  }

  /** Closes the connection; whatever is still in flight becomes a Retry. */
  void close(String reason) {
    closed = true;
    HTTP2Session s = session;
    if (s != null) s.close(0, "client closed", Callback.NOOP);
    failInFlight(reason);
  }

  private void closedNow(String reason) {
    closed = true;
    failInFlight(reason);
    pool.drain();
  }

  private void failInFlight(String reason) {
    for (ApnsExchange exchange : exchanges) exchange.fail(reason);
  }
}
