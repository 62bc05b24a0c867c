package dev.herald.bench;

import dev.herald.push.webpush.VapidKeys;
import dev.herald.testkit.webpush.MockPushService;
import dev.herald.testkit.webpush.MockSubscription;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import tools.jackson.databind.json.JsonMapper;

/**
 * A MockPushService for a Web Push sender in another process: TLS with HTTP/2 and HTTP/1.1 offered
 * by ALPN, no decryption, VAPID verified on every request. Writes {@code {certificatePem,
 * vapid:{publicKey, privateKey}, subscriptions:[{endpoint, keys:{p256dh, auth}}]}} and serves until
 * the process is killed; on exit prints how many requests it answered and its process CPU.
 */
final class PushPeerMock {
  private PushPeerMock() {}

  static void serve(Path out, int count) throws Exception {
    MockPushService mock =
        MockPushService.builder().mode(MockPushService.Mode.TLS).decrypt(false).build();
    VapidKeys vapid = VapidKeys.generate();
    List<Map<String, Object>> subscriptions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      MockSubscription s = mock.subscribe();
      subscriptions.add(
          Map.of("endpoint", s.endpoint(), "keys", Map.of("p256dh", s.p256dh(), "auth", s.auth())));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(
        "certificatePem",
        certificatePem(URI.create(subscriptions.getFirst().get("endpoint").toString()), mock));
    doc.put(
        "vapid",
        Map.of("publicKey", vapid.publicKeyBase64Url(), "privateKey", vapid.privateKeyBase64Url()));
    doc.put("subscriptions", subscriptions);
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    JsonMapper.builder().build().writeValue(tmp.toFile(), doc);
    Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    long cpu0 = PushBench.processCpuNanos();
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () ->
                        System.out.printf(
                            "mock: %d requests, %d refused, process CPU %.2f s%n",
                            mock.requestCount(),
                            mock.refused().size(),
                            (PushBench.processCpuNanos() - cpu0) / 1e9)));
    System.out.println("mock: serving " + mock.origin());
    Thread.sleep(Long.MAX_VALUE);
  }

  /** The server certificate, captured from a TLS handshake with the mock, as PEM. */
  private static String certificatePem(URI endpoint, MockPushService mock) throws Exception {
    try (SSLSocket socket =
        (SSLSocket)
            mock.clientSslContext()
                .getSocketFactory()
                .createSocket(endpoint.getHost(), endpoint.getPort())) {
      socket.startHandshake();
      Certificate[] chain = socket.getSession().getPeerCertificates();
      X509Certificate leaf = (X509Certificate) chain[0];
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(leaf.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    }
  }
}
