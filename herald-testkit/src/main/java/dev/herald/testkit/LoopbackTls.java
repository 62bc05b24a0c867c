package dev.herald.testkit;

import java.net.InetAddress;
import javax.net.ssl.SSLContext;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/** A throwaway certificate for 127.0.0.1 and localhost, and a client context that trusts it. */
public final class LoopbackTls {
  public final HandshakeCertificates server;
  public final HandshakeCertificates client;

  public LoopbackTls() {
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

  public SSLContext clientContext() {
    return client.sslContext();
  }
}
