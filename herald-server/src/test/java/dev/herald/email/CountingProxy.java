package dev.herald.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay that counts the connections made through it: shows how many SMTP sessions
 * Herald opened for a number of messages.
 */
final class CountingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final AtomicInteger connections = new AtomicInteger();

  CountingProxy(int targetPort) throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!listener.isClosed()) {
                try {
                  Socket client = listener.accept();
                  connections.incrementAndGet();
                  Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                  Thread.ofVirtual().start(() -> pipe(client, server));
                  Thread.ofVirtual().start(() -> pipe(server, client));
                } catch (IOException e) {
                  return;
                }
              }
            });
  }

  int port() {
    return listener.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  private static void pipe(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException ignored) {
      // one side closed
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
