package dev.herald.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Collects the self-signed certificates of loopback mock providers into one PEM file for {@code
 * HERALD_PROVIDER_CA_FILE}, the way an operator adds a private CA. The test chooses to trust the
 * mocks; Herald itself never skips verification.
 */
public final class MockCertificates {
  private MockCertificates() {}

  public static Path pemFile(Path dir, URI... endpoints) {
    StringBuilder pem = new StringBuilder();
    for (URI endpoint : endpoints) pem.append(pem(serverCertificate(endpoint)));
    try {
      Path file = dir.resolve("mock-providers-ca.pem");
      Files.writeString(file, pem);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static X509Certificate serverCertificate(URI endpoint) {
    List<X509Certificate> seen = new ArrayList<>();
    TrustManager capture =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen.add(chain[0]);
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {capture}, null);
      int port = endpoint.getPort() > 0 ? endpoint.getPort() : 443;
      try (SSLSocket socket =
          (SSLSocket) ctx.getSocketFactory().createSocket(endpoint.getHost(), port)) {
        socket.startHandshake();
      }
      return seen.getFirst();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the certificate of " + endpoint, e);
    }
  }

  private static String pem(X509Certificate c) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
