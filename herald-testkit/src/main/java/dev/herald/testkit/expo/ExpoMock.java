package dev.herald.testkit.expo;

import dev.herald.testkit.LoopbackTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A loopback Expo push service over TLS with HTTP/2. {@link #endpoint()} replaces {@code
 * https://exp.host}; clients trust it through {@link #clientSslContext()}.
 *
 * <p>{@code POST /--/api/v2/push/send} takes one message or an array (gzip bodies too), refuses
 * more than 100 recipients per request with Expo's {@code PUSH_TOO_MANY_NOTIFICATIONS}, validates
 * fields with {@code VALIDATION_ERROR}s that name the message index, and answers one ticket per
 * recipient: ok with a fresh id, or the error set for that token ({@link #failTicket}); malformed
 * tokens and payloads over 4096 bytes get Expo's error tickets. {@code POST
 * /--/api/v2/push/getReceipts} answers receipts for tickets it issued (≤ 1000 ids a request), ok
 * unless set otherwise ({@link #failReceipt}). Answers over 1 KiB are gzipped when the client
 * accepts it.
 *
 * <p>Thread-safe; every request is recorded until {@link #reset()}. Close it to free the port.
 */
public final class ExpoMock implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final MockWebServer server = new MockWebServer();
  private final LoopbackTls tls = new LoopbackTls();
  private final ExpoService service = new ExpoService();
  private volatile Duration latency = Duration.ZERO;

  private ExpoMock() throws IOException {
    server.useHttps(tls.server.sslSocketFactory());
    server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    server.setDispatcher(new Router());
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  /** Starts a mock on a free port of 127.0.0.1. */
  public static ExpoMock start() {
    try {
      return new ExpoMock();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URI that replaces {@code https://exp.host}; no trailing slash. */
  public URI endpoint() {
    return URI.create(
        "https://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort());
  }

  /** An SSL context that trusts this mock's certificate (and nothing else). */
  public SSLContext clientSslContext() {
    return tls.clientContext();
  }

  /**
   * Turns on push security: requests without {@code Authorization: Bearer accessToken} answer 401
   * {@code UNAUTHORIZED}. Null turns it off.
   */
  public void requireAccessToken(String accessToken) {
    service.accessToken = accessToken;
  }

  /** Answers an error ticket with {@code error} for every message to {@code pushToken}. */
  public void failTicket(String pushToken, ExpoError error) {
    service.ticketErrors.put(pushToken, Objects.requireNonNull(error));
  }

  /** Makes the receipts of tickets issued to {@code pushToken} errors with {@code error}. */
  public void failReceipt(String pushToken, ExpoError error) {
    service.receiptErrorsByToken.put(pushToken, Objects.requireNonNull(error));
  }

  /** Makes the receipt of one ticket an error with {@code error}. */
  public void failReceiptOfTicket(String ticketId, ExpoError error) {
    service.receiptErrorsByTicket.put(ticketId, Objects.requireNonNull(error));
  }

  /**
   * Refuses any whole request holding a message to {@code pushToken} with a 400 {@code
   * VALIDATION_ERROR} naming that message's index, as Expo does for a malformed message.
   */
  public void failRequestsContaining(String pushToken) {
    service.badRequestTokens.add(pushToken);
  }

  /** The next {@code requests} requests answer 429 {@code TOO_MANY_REQUESTS} with Retry-After. */
  public void tooManyRequests(int requests) {
    service.tooManyRequests.set(requests);
  }

  /** The next {@code requests} requests answer 503. */
  public void failNextRequests(int requests) {
    service.serverErrors.set(requests);
  }

  /** The {@code Retry-After} sent with 429s; 5 s unless changed. */
  public void retryAfter(Duration retryAfter) {
    service.retryAfter = retryAfter;
  }

  /** Accepts at most this many messages per second (fixed one-second windows); 0 for no limit. */
  public void messagesPerSecond(int limit) {
    service.messagesPerSecond = limit;
  }

  /** While true, getReceipts answers no receipts yet (as before Expo has delivered). */
  public void holdReceipts(boolean hold) {
    service.receiptsPending = hold;
  }

  /** Delays every answer by {@code latency}. */
  public void latency(Duration latency) {
    this.latency = latency;
  }

  /** Stops keeping accepted messages (for load tests); request records go on. */
  public void recordMessages(boolean record) {
    service.recording = record;
  }

  /** Every request to {@code /push/send}, in arrival order. */
  public List<ExpoSendRequest> sendRequests() {
    return List.copyOf(service.sendRequests);
  }

  /** How many ids each getReceipts request asked for, in arrival order. */
  public List<Integer> receiptRequests() {
    return List.copyOf(service.receiptBatches);
  }

  /** The messages that got an ok ticket, in arrival order. */
  public List<ReceivedExpoMessage> messages() {
    return List.copyOf(service.received);
  }

  /**
   * Clears faults, limits, latency, records and the access-token requirement, and restores the 5 s
   * Retry-After; issued tickets keep their receipts.
   */
  public void reset() {
    service.ticketErrors.clear();
    service.receiptErrorsByToken.clear();
    service.receiptErrorsByTicket.clear();
    service.badRequestTokens.clear();
    service.sendRequests.clear();
    service.receiptBatches.clear();
    service.received.clear();
    service.tooManyRequests.set(0);
    service.serverErrors.set(0);
    service.accessToken = null;
    service.messagesPerSecond = 0;
    service.receiptsPending = false;
    service.retryAfter = Duration.ofSeconds(5);
    latency = Duration.ZERO;
  }

  @Override
  public void close() {
    server.close();
  }

  private final class Router extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      server.takeRequest(0, TimeUnit.NANOSECONDS); // own records are kept; don't let it hoard
      String path = request.getUrl().encodedPath();
      MockResponse response;
      if (!"POST".equals(request.getMethod())) response = notFound(405);
      else if (path.equals(ExpoService.SEND)) response = service.send(request);
      else if (path.equals(ExpoService.RECEIPTS)) response = service.receipts(request);
      else response = notFound(404);
      Duration delay = latency;
      if (delay.isZero()) return response;
      return new MockResponse.Builder(response)
          .headersDelay(delay.toNanos(), TimeUnit.NANOSECONDS)
          .build();
    }

    private MockResponse notFound(int status) {
      ObjectNode body = JSON.createObjectNode();
      body.putArray("errors").addObject().put("code", "NOT_FOUND").put("message", "Not found");
      return ExpoService.json(status, false, body);
    }
  }
}
