package dev.herald.sdk;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A web site on another origin than Herald's (its own loopback port), serving the pages a test
 * registers: what a customer's app would be, importing the SDK from Herald.
 */
final class PageServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Page> pages = new ConcurrentHashMap<>();

  private record Page(String contentType, byte[] body) {}

  private PageServer(HttpServer server) {
    this.server = server;
  }

  static PageServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      PageServer pages = new PageServer(server);
      server.createContext("/", exchange -> pages.answer(exchange));
      server.start();
      return pages;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:port}: the origin to list in HERALD_CORS_ORIGINS. */
  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  PageServer html(String path, String html) {
    pages.put(path, new Page("text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  PageServer script(String path, String js) {
    pages.put(
        path, new Page("text/javascript; charset=utf-8", js.getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  private void answer(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    try (exchange) {
      Page page = pages.get(exchange.getRequestURI().getPath());
      if (page == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", page.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, page.body().length);
      exchange.getResponseBody().write(page.body());
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
