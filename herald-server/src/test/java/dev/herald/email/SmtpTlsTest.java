package dev.herald.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Map;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS to the SMTP server: implicit TLS (port 465 style) to GreenMail with a certificate for
 * 127.0.0.1 that Herald trusts through HERALD_PROVIDER_CA_FILE, authenticated; a server whose
 * certificate is not trusted, and STARTTLS required of a server that does not offer it, are the
 * app's configuration: the send is dead-lettered with the reason, never sent in clear.
 */
class SmtpTlsTest {
  static GreenMail tls;
  static GreenMail plain;
  static TestServer server;
  static TestServer untrusting;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("herald-smtp-tls");
    HeldCertificate cert =
        new HeldCertificate.Builder()
            .commonName("127.0.0.1")
            .addSubjectAlternativeName(InetAddress.getLoopbackAddress().getHostAddress())
            .build();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "greenmail",
        cert.keyPair().getPrivate(),
        "changeit".toCharArray(),
        new Certificate[] {cert.certificate()});
    Path keystore = dir.resolve("greenmail.p12");
    try (OutputStream out = Files.newOutputStream(keystore)) {
      keys.store(out, "changeit".toCharArray());
    }
    // GreenMail reads its TLS keystore from these once per JVM.
    System.setProperty("greenmail.tls.keystore.file", keystore.toString());
    System.setProperty("greenmail.tls.keystore.password", "changeit");
    System.setProperty("greenmail.tls.key.password", "changeit");
    tls = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort());
    tls.start();
    tls.setUser("news@example.com", "herald", "s3cret");
    plain = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    plain.start();
    Path ca = dir.resolve("ca.pem");
    Files.writeString(
        ca,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(cert.certificate().getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    server =
        TestServer.builder()
            .env("HERALD_PROVIDER_CA_FILE", ca.toString())
            .env("HERALD_RETRY_BACKOFF", "100ms")
            .start();
    untrusting = TestServer.builder().env("HERALD_RETRY_BACKOFF", "100ms").start();
  }

  @AfterAll
  static void stop() {
    server.close();
    untrusting.close();
    tls.stop();
    plain.stop();
  }

  @Test
  void implicitTlsWithAuthenticationDelivers() throws Exception {
    TestApp app = TestApp.create(server, "smtps");
    var put =
        app.api()
            .put(
                "/v1/providers/smtp",
                Map.of(
                    "host",
                    "127.0.0.1",
                    "port",
                    tls.getSmtps().getPort(),
                    "tls",
                    "tls",
                    "username",
                    "herald",
                    "password",
                    "s3cret",
                    "from",
                    "news@example.com"));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    EmailDeliveryTest.subscriber(app.api(), "t1", "tls-reader@example.com");
    EmailDeliveryTest.awaitDelivery(
        app.api(), EmailDeliveryTest.send(app.api(), "t1", "news", "Over TLS"), "sent");
    assertThat(tls.getReceivedMessages())
        .anySatisfy(m -> assertThat(m.getSubject()).isEqualTo("Over TLS"));
  }

  @Test
  void anUntrustedCertificateIsNeverSentPast() {
    TestApp app = TestApp.create(untrusting, "smtps-untrusted");
    assertThat(
            app.api()
                .put(
                    "/v1/providers/smtp",
                    Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        tls.getSmtps().getPort(),
                        "tls",
                        "tls",
                        "from",
                        "news@example.com"))
                .status())
        .isEqualTo(200);
    EmailDeliveryTest.subscriber(app.api(), "t2", "untrusted@example.com");
    var dead =
        EmailDeliveryTest.awaitDelivery(
            app.api(), EmailDeliveryTest.send(app.api(), "t2", "news", "x"), "dead");
    assertThat(dead.get("reason").asString()).contains("TLS");
  }

  @Test
  void starttlsIsRequiredWhenConfiguredAndNothingGoesInClear() {
    TestApp app = TestApp.create(server, "starttls");
    var put =
        app.api()
            .put(
                "/v1/providers/smtp",
                Map.of(
                    "host",
                    "127.0.0.1",
                    "port",
                    plain.getSmtp().getPort(),
                    "from",
                    "news@example.com"));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().get("tls").asString()).as("the default").isEqualTo("starttls");
    EmailDeliveryTest.subscriber(app.api(), "t3", "clear@example.com");
    var dead =
        EmailDeliveryTest.awaitDelivery(
            app.api(), EmailDeliveryTest.send(app.api(), "t3", "news", "x"), "dead");
    assertThat(dead.get("reason").asString()).contains("STARTTLS");
    assertThat(plain.getReceivedMessages()).isEmpty();
  }
}
