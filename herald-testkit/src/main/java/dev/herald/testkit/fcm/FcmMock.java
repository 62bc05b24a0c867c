package dev.herald.testkit.fcm;

import dev.herald.testkit.LoopbackTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
 * A loopback FCM HTTP v1 server over TLS with HTTP/2: Google's OAuth2 token endpoint at {@link
 * #tokenUri()} and {@code messages:send} under {@link #endpoint()}, which replaces {@code
 * https://fcm.googleapis.com}. Clients trust it through {@link #clientSslContext()}.
 *
 * <p>{@link #mintServiceAccount(String)} makes a service-account JSON with a fresh RSA key whose
 * {@code token_uri} points here; the token endpoint verifies each JWT assertion's signature with
 * that account's public key and issues access tokens, and {@code messages:send} accepts only a
 * token it issued for the project in the path. Faults are injected per device token ({@link
 * #fail}), and so are latency ({@link #latency}) and a per-project quota ({@link #quota}).
 *
 * <p>Thread-safe: configure it from the test thread while clients send. Every accepted message is
 * recorded until {@link #reset()}. Close it to free the port.
 */
public final class FcmMock implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final MockWebServer server = new MockWebServer();
  private final LoopbackTls tls = new LoopbackTls();
  private final TokenEndpoint tokenEndpoint;
  private final SendEndpoint sendEndpoint;
  private volatile Duration latency = Duration.ZERO;

  private FcmMock() throws IOException {
    server.useHttps(tls.server.sslSocketFactory());
    server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    server.setDispatcher(new Router());
    server.start(InetAddress.getLoopbackAddress(), 0);
    tokenEndpoint = new TokenEndpoint(tokenUri().toString());
    sendEndpoint = new SendEndpoint(tokenEndpoint);
  }

  /** Starts a mock on a free port of 127.0.0.1. */
  public static FcmMock start() {
    try {
      return new FcmMock();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URI that replaces {@code https://fcm.googleapis.com}; no trailing slash. */
  public URI endpoint() {
    return URI.create(
        "https://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort());
  }

  /** The OAuth2 token endpoint; minted service accounts name it as {@code token_uri}. */
  public URI tokenUri() {
    return endpoint().resolve("/token");
  }

  /** An SSL context that trusts this mock's certificate (and nothing else). */
  public SSLContext clientSslContext() {
    return tls.clientContext();
  }

  /**
   * A new service account of {@code projectId} with a fresh RSA-2048 key pair; the mock keeps the
   * public key to verify the account's token requests.
   */
  public MockServiceAccount mintServiceAccount(String projectId) {
    Objects.requireNonNull(projectId, "projectId");
    KeyPair keys = rsaKeyPair();
    String keyId = HexFormat.of().formatHex(randomBytes(20));
    String clientEmail =
        "herald-" + keyId.substring(0, 8) + "@" + projectId + ".iam.gserviceaccount.com";
    trust(clientEmail, projectId, (RSAPublicKey) keys.getPublic());
    ObjectNode json = JSON.createObjectNode();
    json.put("type", "service_account");
    json.put("project_id", projectId);
    json.put("private_key_id", keyId);
    json.put("private_key", pem(keys.getPrivate().getEncoded()));
    json.put("client_email", clientEmail);
    json.put("client_id", Long.toString(ThreadLocalRandom.current().nextLong(1L << 60)));
    json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
    json.put("token_uri", tokenUri().toString());
    json.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
    json.put("universe_domain", "googleapis.com");
    return new MockServiceAccount(projectId, clientEmail, JSON.writeValueAsString(json));
  }

  /**
   * Trusts an account made elsewhere: token requests signed by its key get tokens for the project.
   */
  public void trust(String clientEmail, String projectId, RSAPublicKey publicKey) {
    tokenEndpoint.accounts.put(clientEmail, new TokenEndpoint.Account(projectId, publicKey));
  }

  /** Forgets an account: its next token request answers {@code invalid_grant}. */
  public void revoke(String clientEmail) {
    tokenEndpoint.accounts.remove(clientEmail);
  }

  /** How long issued access tokens live ({@code expires_in}); one hour unless changed. */
  public void accessTokenLifetime(Duration lifetime) {
    tokenEndpoint.lifetime = lifetime;
  }

  /** Makes every access token issued so far invalid: sends bearing them answer 401. */
  public void expireAccessTokens() {
    tokenEndpoint.issued.clear();
  }

  /** Makes the token endpoint answer {@code status} (e.g. 503) until called with 0. */
  public void failTokenEndpoint(int status) {
    tokenEndpoint.failStatus = status;
  }

  /** Answers {@code fault} for every message to {@code deviceToken} until {@link #reset()}. */
  public void fail(String deviceToken, FcmFault fault) {
    sendEndpoint.faults.put(deviceToken, fault);
  }

  /** The {@code Retry-After} sent with QUOTA_EXCEEDED; 30 s unless changed. */
  public void retryAfter(Duration retryAfter) {
    sendEndpoint.retryAfter = retryAfter;
  }

  /** Delays every answer by {@code latency}. */
  public void latency(Duration latency) {
    this.latency = latency;
  }

  /**
   * Accepts at most {@code messages} per project per {@code window}; beyond, 429 QUOTA_EXCEEDED.
   */
  public void quota(int messages, Duration window) {
    sendEndpoint.quotaWindow = window;
    sendEndpoint.quotaMessages = messages;
  }

  /** Stops keeping accepted messages (for load tests); counts go on. */
  public void recordMessages(boolean record) {
    sendEndpoint.recording = record;
  }

  /** How many requests reached the token endpoint. */
  public int tokenRequests() {
    return tokenEndpoint.requests.get();
  }

  /** How many requests reached {@code messages:send}, accepted or not. */
  public long sendRequests() {
    return sendEndpoint.requests.get();
  }

  /** The HTTP versions requests to {@code messages:send} came over, e.g. {@code "HTTP/2"}. */
  public Set<String> protocols() {
    return Set.copyOf(sendEndpoint.protocols);
  }

  /** How many distinct connections carried requests to {@code messages:send}. */
  public int connections() {
    return sendEndpoint.connections.size();
  }

  /** The messages accepted so far, in arrival order. */
  public List<ReceivedFcmMessage> messages() {
    return List.copyOf(sendEndpoint.received);
  }

  /**
   * Clears faults, quota, latency, recorded messages and counters, and restores the one-hour token
   * lifetime and 30 s Retry-After; accounts and issued tokens stay valid.
   */
  public void reset() {
    sendEndpoint.faults.clear();
    sendEndpoint.received.clear();
    sendEndpoint.quotaMessages = 0;
    sendEndpoint.requests.set(0);
    sendEndpoint.protocols.clear();
    sendEndpoint.connections.clear();
    tokenEndpoint.requests.set(0);
    tokenEndpoint.failStatus = 0;
    tokenEndpoint.lifetime = Duration.ofHours(1);
    sendEndpoint.retryAfter = Duration.ofSeconds(30);
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
      if (path.equals("/token")) response = tokenEndpoint.handle(request);
      else if (SendEndpoint.matches(path)) response = sendEndpoint.handle(request);
      else
        response = TokenEndpoint.json(404, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}");
      Duration delay = latency;
      if (delay.isZero()) return response;
      return new MockResponse.Builder(response)
          .headersDelay(delay.toNanos(), TimeUnit.NANOSECONDS)
          .build();
    }
  }

  private static String pem(byte[] pkcs8) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
