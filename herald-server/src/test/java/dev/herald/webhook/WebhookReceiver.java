package dev.herald.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;

/**
 * A webhook endpoint on a loopback port: records every request with when it arrived and answers
 * with a status the test sets (204 at first), optionally with a Retry-After header.
 */
final class WebhookReceiver implements AutoCloseable {
  /** One request as it arrived. */
  record Received(
      String id, String timestamp, String signature, String contentType, String body, long nanos) {
    JsonNode json() {
      return Json.tree(body);
    }

    String type() {
      return json().get("type").asString();
    }

    /** Verifies the signature with {@code verifier} at the webhook's own timestamp's clock. */
    boolean verifiedBy(StandardWebhooksVerifier verifier, Instant now) {
      return verifier.verifies(id, timestamp, signature, body, now);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile int status = 204;
  private volatile String retryAfter;

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  static WebhookReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/", receiver::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    long at = System.nanoTime();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    var h = exchange.getRequestHeaders();
    received.add(
        new Received(
            h.getFirst("webhook-id"),
            h.getFirst("webhook-timestamp"),
            h.getFirst("webhook-signature"),
            h.getFirst("Content-Type"),
            body,
            at));
    int answer = status;
    if (retryAfter != null) exchange.getResponseHeaders().add("Retry-After", retryAfter);
    byte[] reply =
        answer == 204 ? new byte[0] : ("answered " + answer).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer, answer == 204 ? -1 : reply.length);
    if (reply.length > 0) exchange.getResponseBody().write(reply);
    exchange.close();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
  }

  void answer(int status) {
    this.status = status;
  }

  void retryAfter(String value) {
    this.retryAfter = value;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<Received> ofType(String type) {
    return received.stream().filter(r -> r.type().equals(type)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
