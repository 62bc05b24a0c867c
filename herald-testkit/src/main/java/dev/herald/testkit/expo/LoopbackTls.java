package dev.herald.testkit.expo;

import java.net.InetAddress;
import javax.net.ssl.SSLContext;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/** A throwaway certificate for 127.0.0.1 and localhost, and a client context that trusts it. */
final class LoopbackTls {
  final HandshakeCertificates server;
  final HandshakeCertificates client;

  LoopbackTls() {
    HeldCertificate certificate =
        new HeldCertificate.Builder()
            .commonName("localhost")
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName(InetAddress.getLoopbackAddress().getHostAddress())
            .build();
    server = new HandshakeCertificates.Builder().heldCertificate(certificate).build();
    client =
        new HandshakeCertificates.Builder()
            .addTrustedCertificate(certificate.certificate())
            .build();
  }

  SSLContext clientContext() {
    return client.sslContext();
  }
}
