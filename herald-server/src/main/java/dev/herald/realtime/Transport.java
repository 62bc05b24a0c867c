package dev.herald.realtime;

import java.io.IOException;

/** How one live connection writes: a WebSocket or a Server-Sent Events stream. */
interface Transport {
  /** Writes one inbox event, blocking until written (bounded by the write timeout). */
  void event(long seq, String type, String json) throws IOException;

  /** Writes a control message ({@code ready}, {@code resync}) that has no seq of its own. */
  void control(String type, String json) throws IOException;

  /** Keeps the connection alive and lets the client notice a dead one. */
  void heartbeat(long seq) throws IOException;

  /** Closes the connection; {@code resync} tells the client to reload before reconnecting. */
  void close(boolean resync, String reason);
}
