package dev.herald.push.apns;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Settings for an {@link ApnsClient}. Setters only record; {@link #build()} checks everything at
 * once and names every problem. Not thread-safe; the client it builds is.
 */
public final class ApnsClientBuilder {
  /** Apple suggests a few connections per host; each carries up to 1000 concurrent streams. */
  public static final int DEFAULT_CONNECTIONS = 2;

  /** APNs advertises 1000; the server's SETTINGS lower it further when they say so. */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 1000;

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** APNs answers in milliseconds; ten seconds of silence means the connection is stuck. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** How long {@link ApnsClient#close()} waits for requests in flight. */
  public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);

  public static final Duration DEFAULT_TOKEN_REFRESH = ProviderToken.DEFAULT_REFRESH;

  // Apple closes idle connections anyway; ours close after this and reopen on demand.
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

  private String teamId;
  private String keyId;
  private ApnsSigningKey signingKey;
  private String signingKeyPem;
  private String topic;
  private ApnsEnvironment environment = ApnsEnvironment.PRODUCTION;
  private URI endpoint;
  private List<X509Certificate> trusted;
  private String trustedPem;
  private int connections = DEFAULT_CONNECTIONS;
  private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private Duration tokenRefresh = DEFAULT_TOKEN_REFRESH;
  private Clock clock = Clock.systemUTC();

  ApnsClientBuilder() {}

  /** The 10-character Apple team id: the provider token's {@code iss}. Required. */
  public ApnsClientBuilder teamId(String teamId) {
    this.teamId = teamId;
    return this;
  }

  /** The 10-character id of the .p8 key: the provider token's {@code kid}. Required. */
  public ApnsClientBuilder keyId(String keyId) {
    this.keyId = keyId;
    return this;
  }

  /** The key, already read. Required, this or {@link #signingKey(String)}. */
  public ApnsClientBuilder signingKey(ApnsSigningKey signingKey) {
    this.signingKey = signingKey;
    this.signingKeyPem = null;
    return this;
  }

  /** The text of the .p8 file; read in {@link #build()}. */
  public ApnsClientBuilder signingKey(String pem) {
    this.signingKeyPem = pem;
    this.signingKey = null;
    return this;
  }

  /** The app's bundle id, sent as {@code apns-topic}. Required. */
  public ApnsClientBuilder topic(String topic) {
    this.topic = topic;
    return this;
  }

  /** Production (default) or sandbox; ignored when an {@link #endpoint(URI)} is set. */
  public ApnsClientBuilder environment(ApnsEnvironment environment) {
    this.environment = environment;
    return this;
  }

  /**
   * Sends to {@code https://host[:port]} instead of Apple (a mock, a proxy). Null goes back to the
   * environment's host.
   */
  public ApnsClientBuilder endpoint(URI endpoint) {
    this.endpoint = endpoint;
    return this;
  }

  public ApnsClientBuilder endpoint(String host, int port) {
    return endpoint(
        URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port));
  }

  /**
   * Trusts these certificates (a mock's self-signed one, a private CA) instead of the JVM's default
   * roots, for this client only. Host names are still verified.
   */
  public ApnsClientBuilder trustedCertificates(X509Certificate... certificates) {
    this.trusted = List.of(certificates);
    this.trustedPem = null;
    return this;
  }

  /** {@link #trustedCertificates(X509Certificate...)} from PEM text; read in {@link #build()}. */
  public ApnsClientBuilder trustedCertificates(String pem) {
    this.trustedPem = pem;
    this.trusted = null;
    return this;
  }

  /** HTTP/2 connections to open, 1–16; default {@value #DEFAULT_CONNECTIONS}. */
  public ApnsClientBuilder connections(int connections) {
    this.connections = connections;
    return this;
  }

  /**
   * Streams in flight per connection, 1–10000; default {@value #DEFAULT_MAX_CONCURRENT_STREAMS}.
   */
  public ApnsClientBuilder maxConcurrentStreams(int maxConcurrentStreams) {
    this.maxConcurrentStreams = maxConcurrentStreams;
    return this;
  }

  public ApnsClientBuilder connectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
    return this;
  }

  /** Silence on a request after which it becomes a Retry; default 10 s. */
  public ApnsClientBuilder requestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    return this;
  }

  /** Age at which the provider token is re-signed, 20–60 minutes; default 50. */
  public ApnsClientBuilder tokenRefreshInterval(Duration tokenRefresh) {
    this.tokenRefresh = tokenRefresh;
    return this;
  }

  /** The time for token {@code iat} and {@code apns-expiration}; tests set their own. */
  public ApnsClientBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Checks the settings and starts the client (no connection is opened until the first send).
   *
   * @throws InvalidSigningKeyException when the signing key cannot be read or cannot sign ES256
   * @throws IllegalArgumentException naming every other problem
   */
  public ApnsClient build() {
    List<String> problems = new ArrayList<>();
    requireText(teamId, "teamId", problems);
    requireText(keyId, "keyId", problems);
    requireText(topic, "topic", problems);
    if (topic != null && !topic.isBlank() && !ApnsRequest.isHeaderValue(topic))
      problems.add("topic must be printable ASCII without surrounding spaces, got " + topic);
    if (signingKey == null && signingKeyPem == null) problems.add("signingKey is required");
    if (environment == null && endpoint == null) problems.add("environment is required");
    if (endpoint != null
        && (!"https".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null))
      problems.add("endpoint must be an https URI with a host, got " + endpoint);
    if (connections < 1 || connections > 16)
      problems.add("connections must be 1 to 16, got " + connections);
    if (maxConcurrentStreams < 1 || maxConcurrentStreams > 10_000)
      problems.add("maxConcurrentStreams must be 1 to 10000, got " + maxConcurrentStreams);
    requirePositive(connectTimeout, "connectTimeout", problems);
    requirePositive(requestTimeout, "requestTimeout", problems);
    if (tokenRefresh == null
        || tokenRefresh.compareTo(ProviderToken.MIN_REFRESH) < 0
        || tokenRefresh.compareTo(ProviderToken.MAX_REFRESH) > 0)
      problems.add("tokenRefreshInterval must be 20 to 60 minutes, got " + tokenRefresh);
    if (clock == null) problems.add("clock is required");
    KeyStore trustStore = null;
    try {
      trustStore = trustStore();
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      problems.add("trustedCertificates could not be read: " + e.getMessage());
    }
    if (!problems.isEmpty())
      throw new IllegalArgumentException("APNs client: " + String.join("; ", problems));

    ApnsSigningKey key = signingKey != null ? signingKey : ApnsSigningKey.fromPem(signingKeyPem);
    ProviderToken token = new ProviderToken(teamId, keyId, key, tokenRefresh, clock);
    HTTP2Client http = http(trustStore);
    ApnsConnections pool =
        new ApnsConnections(
            http,
            http.getClientConnector().getSslContextFactory(),
            host(),
            port(),
            topic,
            connections,
            maxConcurrentStreams,
            connectTimeout.toMillis());
    return new ApnsClient(this, token, http, pool);
  }

  String host() {
    if (endpoint == null) return environment.host();
    String host = endpoint.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  int port() {
    return endpoint == null || endpoint.getPort() < 0 ? ApnsEnvironment.PORT : endpoint.getPort();
  }

  Clock clock() {
    return clock;
  }

  private HTTP2Client http(KeyStore trustStore) {
    SslContextFactory.Client tls = new SslContextFactory.Client();
    if (trustStore != null) tls.setTrustStore(trustStore);
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(tls);
    connector.setConnectTimeout(connectTimeout);
    connector.setIdleTimeout(IDLE_TIMEOUT);
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("apns-" + host());
    threads.setDaemon(true);
    connector.setExecutor(threads);
    HTTP2Client http = new HTTP2Client(connector);
    http.setApplicationProtocols(List.of("h2"));
    http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    http.setStreamIdleTimeout(requestTimeout.toMillis());
    http.setConnectTimeout(connectTimeout.toMillis());
    http.setMaxConcurrentPushedStreams(0);
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the APNs HTTP/2 client", e);
    }
    return http;
  }

  private KeyStore trustStore() throws GeneralSecurityException, java.io.IOException {
    List<? extends Certificate> certificates = trusted;
    if (trustedPem != null)
      certificates =
          new ArrayList<>(
              CertificateFactory.getInstance("X.509")
                  .generateCertificates(
                      new ByteArrayInputStream(trustedPem.getBytes(StandardCharsets.US_ASCII))));
    if (certificates == null) return null;
    if (certificates.isEmpty()) throw new IllegalArgumentException("no certificate given");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (int i = 0; i < certificates.size(); i++)
      store.setCertificateEntry("trusted-" + i, certificates.get(i));
    return store;
  }

  private static void requireText(String value, String name, List<String> problems) {
    if (value == null || value.isBlank()) problems.add(name + " is required");
  }

  private static void requirePositive(Duration value, String name, List<String> problems) {
    if (value == null || value.isNegative() || value.isZero())
      problems.add(name + " must be positive, got " + value);
  }
}
