package dev.herald.realtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events stream written straight to the response (no compression or buffering in
 * between): {@code id:} is the seq, {@code event:} the type, {@code data:} the JSON.
 */
final class SseTransport implements Transport {
  private final OutputStream out;
  private volatile boolean closed;

  SseTransport(OutputStream out) {
    this.out = out;
  }

  @Override
  public void event(long seq, String type, String json) throws IOException {
    write("id: " + seq + "\nevent: " + type + "\ndata: " + json + "\n\n");
  }

  @Override
  public void control(String type, String json) throws IOException {
    write("event: " + type + "\ndata: " + json + "\n\n");
  }

  @Override
  public void heartbeat(long seq) throws IOException {
    write(": heartbeat\n\n");
  }

  /** The stream ends when its handler returns; this only stops further writes. */
  @Override
  public void close(boolean resync, String reason) {
    closed = true;
  }

  private synchronized void write(String frame) throws IOException {
    if (closed) throw new IOException("the stream is closed");
    out.write(frame.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
