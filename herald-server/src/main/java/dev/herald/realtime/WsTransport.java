package dev.herald.realtime;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** Text frames on a WebSocket; each write waits for the frame to be written, within a timeout. */
final class WsTransport implements Transport {
  static final int RESYNC = 4000;
  static final int GOING_AWAY = 1001;

  private final Session session;
  private final Duration writeTimeout;

  WsTransport(Session session, Duration writeTimeout) {
    this.session = session;
    this.writeTimeout = writeTimeout;
  }

  @Override
  public void event(long seq, String type, String json) throws IOException {
    write(json);
  }

  @Override
  public void control(String type, String json) throws IOException {
    write(json);
  }

  @Override
  public void heartbeat(long seq) throws IOException {
    write(Connection.control("heartbeat", "seq", seq));
  }

  @Override
  public void close(boolean resync, String reason) {
    if (session.isOpen()) session.close(resync ? RESYNC : GOING_AWAY, reason, Callback.NOOP);
  }

  private synchronized void write(String text) throws IOException {
    if (!session.isOpen()) throw new IOException("the WebSocket is closed");
    Callback.Completable done = new Callback.Completable();
    session.sendText(text, done);
    try {
      done.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing", e);
    } catch (ExecutionException e) {
      throw new IOException("write failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the client did not read for " + writeTimeout);
    }
  }
}
