package dev.herald.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many WebSocket clients on a few selector threads: a hand-written RFC 6455 client (handshake,
 * server frames, masked pong and text frames) so that 19,000 sockets cost the load generator a few
 * hundred bytes each and no thread. Each socket knows when it became ready (Herald's and the ws
 * peer's {@code ready} message, Socket.IO's connect acknowledgement) and, while a round is armed,
 * when the broadcast reached it.
 */
final class WsLoad implements AutoCloseable {
  /** How a server speaks over the socket. */
  enum Protocol {
    /**
     * JSON text frames; {@code {"type":"ready",…}} first, the broadcast is a notification_received.
     */
    JSON,
    /** Engine.IO 4 / Socket.IO 5 packets over a plain WebSocket. */
    SOCKET_IO
  }

  private static final byte[] MARK = "notification_received".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] READY = "\"type\":\"ready\"".getBytes(StandardCharsets.US_ASCII);

  private final Protocol protocol;
  private final InetSocketAddress server;
  private final List<String> paths;
  private final int window;
  private final Conn[] conns;
  private final long[] received;
  private final long[] readyAt;
  private final AtomicInteger ready = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final AtomicInteger got = new AtomicInteger();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final List<Loop> loops = new ArrayList<>();
  private volatile boolean armed;
  private volatile boolean running = true;
  private long started;

  /**
   * @param paths one request path (with query) per socket
   * @param threads selector threads; sockets are dealt to them in turn
   * @param window handshakes in flight at most, over all threads
   */
  WsLoad(Protocol protocol, InetSocketAddress server, List<String> paths, int threads, int window) {
    this.protocol = protocol;
    this.server = server;
    this.paths = paths;
    this.window = Math.max(1, window / threads);
    this.conns = new Conn[paths.size()];
    this.received = new long[paths.size()];
    this.readyAt = new long[paths.size()];
    for (int t = 0; t < threads; t++) loops.add(new Loop(t, threads));
  }

  /** Starts opening every socket; answers at once. */
  void connect() {
    started = System.nanoTime();
    for (Loop l : loops) Thread.ofPlatform().name("ws-load-" + l.first).daemon().start(l);
  }

  /**
   * Waits until every socket is ready or failed; answers seconds from connect() to the last ready.
   */
  double awaitReady(double maxSeconds) {
    long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    while (ready.get() + failed.get() < paths.size() && System.nanoTime() < deadline)
      Bench.sleep(5);
    long last = 0;
    for (long t : readyAt) last = Math.max(last, t);
    return (last - started) / 1e9;
  }

  int ready() {
    return ready.get();
  }

  int failed() {
    return failed.get();
  }

  int closed() {
    return closed.get();
  }

  String firstError() {
    return firstError.get();
  }

  /** Forgets the last round's receipts and starts recording the next broadcast. */
  void arm() {
    Arrays.fill(received, 0);
    got.set(0);
    armed = true;
  }

  /**
   * Waits until every ready socket has the broadcast, or {@code maxSeconds}; answers the receive
   * times (System.nanoTime) of the sockets that got it.
   */
  long[] awaitBroadcast(double maxSeconds) {
    long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    while (got.get() < ready.get() - closed.get() && System.nanoTime() < deadline) Bench.sleep(1);
    armed = false;
    return Arrays.stream(received).filter(t -> t != 0).toArray();
  }

  @Override
  public void close() {
    running = false;
    for (Loop l : loops) l.selector.wakeup();
    for (Conn c : conns) {
      if (c != null) {
        try {
          c.ch.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  private final class Conn {
    final int index;
    final SocketChannel ch;
    boolean open;
    byte[] pending = new byte[0];

    Conn(int index, SocketChannel ch) {
      this.index = index;
      this.ch = ch;
    }
  }

  private final class Loop implements Runnable {
    final int first;
    final int step;
    final Selector selector;
    final ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
    int next;
    int handshaking;

    Loop(int first, int step) {
      this.first = first;
      this.step = step;
      this.next = first;
      try {
        this.selector = Selector.open();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void run() {
      try {
        while (running) {
          while (handshaking < window && next < paths.size()) {
            open(next);
            next += step;
          }
          selector.select(100);
          long now = System.nanoTime();
          for (SelectionKey k : selector.selectedKeys()) {
            Conn c = (Conn) k.attachment();
            try {
              if (k.isConnectable()) {
                c.ch.finishConnect();
                c.ch.write(ByteBuffer.wrap(handshake(paths.get(c.index))));
                k.interestOps(SelectionKey.OP_READ);
              } else if (k.isReadable()) {
                read(c, k, now);
              }
            } catch (IOException | RuntimeException e) {
              fail(c, k, e.toString());
            }
          }
          selector.selectedKeys().clear();
        }
        selector.close();
      } catch (IOException e) {
        firstError.compareAndSet(null, e.toString());
      }
    }

    void open(int i) {
      try {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn c = new Conn(i, ch);
        conns[i] = c;
        handshaking++;
        ch.connect(server);
        ch.register(selector, SelectionKey.OP_CONNECT, c);
      } catch (IOException e) {
        handshaking--;
        failed.incrementAndGet();
        firstError.compareAndSet(null, "connect " + i + ": " + e);
      }
    }

    void fail(Conn c, SelectionKey k, String why) {
      k.cancel();
      try {
        c.ch.close();
      } catch (IOException e) {
        // closing anyway
      }
      if (readyAt[c.index] == 0) {
        handshaking--;
        failed.incrementAndGet();
        firstError.compareAndSet(null, "socket " + c.index + ": " + why);
      } else {
        closed.incrementAndGet();
        firstError.compareAndSet(null, "socket " + c.index + " closed: " + why);
      }
    }

    void read(Conn c, SelectionKey k, long now) throws IOException {
      while (true) {
        buf.clear();
        int n = c.ch.read(buf);
        if (n < 0) {
          fail(c, k, "closed by the server");
          return;
        }
        if (n == 0) return;
        byte[] data;
        int len;
        if (c.pending.length == 0) {
          data = buf.array();
          len = n;
        } else {
          data = Arrays.copyOf(c.pending, c.pending.length + n);
          System.arraycopy(buf.array(), 0, data, c.pending.length, n);
          len = data.length;
        }
        int used = c.open ? frames(c, data, 0, len, now) : upgrade(c, k, data, len, now);
        if (used < 0) return;
        c.pending = used == len ? new byte[0] : Arrays.copyOfRange(data, used, len);
        if (n < buf.capacity()) return;
      }
    }

    /** The 101 answer, then any frames after it; answers the bytes consumed, -1 when failed. */
    int upgrade(Conn c, SelectionKey k, byte[] data, int len, long now) throws IOException {
      int end = indexOf(data, 0, len, new byte[] {'\r', '\n', '\r', '\n'});
      if (end < 0) return 0;
      String head = new String(data, 0, end, StandardCharsets.ISO_8859_1);
      if (!head.startsWith("HTTP/1.1 101")) {
        fail(c, k, head.lines().findFirst().orElse(head));
        return -1;
      }
      c.open = true;
      return frames(c, data, end + 4, len, now);
    }

    int frames(Conn c, byte[] d, int p, int len, long now) throws IOException {
      while (len - p >= 2) {
        int op = d[p] & 0x0f;
        long size = d[p + 1] & 0x7f;
        int header = 2;
        if (size == 126) {
          if (len - p < 4) break;
          size = ((d[p + 2] & 0xff) << 8) | (d[p + 3] & 0xff);
          header = 4;
        } else if (size == 127) {
          if (len - p < 10) break;
          size = 0;
          for (int i = 2; i < 10; i++) size = (size << 8) | (d[p + i] & 0xff);
          header = 10;
        }
        if ((d[p + 1] & 0x80) != 0) header += 4; // servers do not mask; skip a key if one is sent
        if (len - p < header + size) break;
        message(c, op, d, p + header, (int) size, now);
        p += header + (int) size;
      }
      return p;
    }

    void message(Conn c, int op, byte[] d, int off, int len, long now) throws IOException {
      switch (op) {
        case 0x0, 0x1 -> text(c, d, off, len, now);
        case 0x8 -> throw new IOException("close frame from the server");
        case 0x9 -> send(c, 0xA, Arrays.copyOfRange(d, off, off + len));
        default -> {}
      }
    }

    void text(Conn c, byte[] d, int off, int len, long now) throws IOException {
      if (protocol == Protocol.SOCKET_IO) {
        if (len == 0) return;
        byte t = d[off];
        if (t == '0') {
          send(c, 0x1, new byte[] {'4', '0'}); // Engine.IO open: connect to the main namespace
        } else if (t == '2' && len == 1) {
          send(c, 0x1, new byte[] {'3'}); // Engine.IO ping: pong
        } else if (t == '4' && len > 1 && d[off + 1] == '0') {
          becameReady(c, now);
        } else if (t == '4' && len > 1 && d[off + 1] == '2') {
          broadcast(c, now);
        }
        return;
      }
      if (readyAt[c.index] == 0 && indexOf(d, off, off + len, READY) >= 0) {
        becameReady(c, now);
      } else if (indexOf(d, off, off + len, MARK) >= 0) {
        broadcast(c, now);
      }
    }

    void becameReady(Conn c, long now) {
      if (readyAt[c.index] != 0) return;
      readyAt[c.index] = now;
      handshaking--;
      ready.incrementAndGet();
    }

    void broadcast(Conn c, long now) {
      if (armed && received[c.index] == 0) {
        received[c.index] = now;
        got.incrementAndGet();
      }
    }

    /** A masked client frame (a zero mask key: the payload goes out as it is). */
    void send(Conn c, int op, byte[] payload) throws IOException {
      ByteBuffer f = ByteBuffer.allocate(payload.length + 8);
      f.put((byte) (0x80 | op)).put((byte) (0x80 | payload.length)).putInt(0).put(payload).flip();
      while (f.hasRemaining()) c.ch.write(f);
    }
  }

  private byte[] handshake(String path) {
    return ("GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + server.getHostString()
            + ":"
            + server.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  static int indexOf(byte[] d, int from, int to, byte[] needle) {
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (d[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
