package dev.herald.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection over a plain socket: a request is written as prepared bytes
 * and the answer parsed by hand (Content-Length or chunked). At tens of thousands of requests a
 * second on two shared cores, a general-purpose client would cost the server the CPU being
 * measured. Not thread-safe: one request at a time.
 */
final class HttpConnection implements AutoCloseable {
  private final String host;
  private final int port;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int lim;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  HttpConnection(String host, int port) {
    this.host = host;
    this.port = port;
  }

  record Response(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** The bytes of one request; {@code body} may be null. */
  static byte[] request(String method, String path, String hostHeader, String key, byte[] body) {
    StringBuilder h = new StringBuilder(256);
    h.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    h.append("Host: ").append(hostHeader).append("\r\n");
    if (key != null) h.append("Authorization: Bearer ").append(key).append("\r\n");
    if (body != null) {
      h.append("Content-Type: application/json\r\n");
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    h.append("\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
    if (body == null) return head;
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Sends {@code request} and reads its answer; on any I/O error the connection is closed. */
  Response exchange(byte[] request) throws IOException {
    try {
      if (socket == null) connect();
      out.write(request);
      out.flush();
      return read();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress(host, port), 10_000);
    s.setSoTimeout(120_000);
    socket = s;
    out = s.getOutputStream();
    in = s.getInputStream();
    pos = 0;
    lim = 0;
  }

  private Response read() throws IOException {
    String statusLine = line();
    // "HTTP/1.1 202 Accepted"
    int sp = statusLine.indexOf(' ');
    if (sp < 0 || statusLine.length() < sp + 4) throw new IOException("bad status: " + statusLine);
    int status = Integer.parseInt(statusLine.substring(sp + 1, sp + 4));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      if (colon < 0) continue;
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) length = Long.parseLong(value);
      else if (name.equalsIgnoreCase("Transfer-Encoding"))
        chunked = value.toLowerCase().contains("chunked");
      else if (name.equalsIgnoreCase("Connection")) close = value.equalsIgnoreCase("close");
    }
    byte[] body;
    if (chunked) body = chunkedBody();
    else if (length >= 0) body = exactly((int) length);
    else if (status == 204 || status == 304) body = new byte[0];
    else throw new IOException("answer without length");
    if (close) close();
    return new Response(status, body);
  }

  private byte[] chunkedBody() throws IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    while (true) {
      String sizeLine = line();
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        while (!line().isEmpty()) {
          // trailers
        }
        return all.toByteArray();
      }
      all.write(exactly(size));
      line();
    }
  }

  private byte[] exactly(int n) throws IOException {
    byte[] dst = new byte[n];
    int off = 0;
    while (off < n) {
      if (pos == lim) fill();
      int k = Math.min(n - off, lim - pos);
      System.arraycopy(buf, pos, dst, off, k);
      pos += k;
      off += k;
    }
    return dst;
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      if (pos == lim) fill();
      byte b = buf[pos++];
      if (b == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
        return sb.toString();
      }
      sb.append((char) (b & 0xff));
    }
  }

  private void fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n < 0) throw new EOFException("connection closed by the server");
    pos = 0;
    lim = n;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
  }
}
