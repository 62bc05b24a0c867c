package dev.herald.provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for provider endpoints: the JDK's CAs, plus those in {@code HERALD_PROVIDER_CA_FILE}
 * when set (a corporate proxy, or loopback mock providers in tests). Verification is never off.
 */
public final class ProviderTrust {
  private final SSLContext context;
  private final List<X509Certificate> extra;

  private ProviderTrust(SSLContext context, List<X509Certificate> extra) {
    this.context = context;
    this.extra = List.copyOf(extra);
  }

  public static ProviderTrust load(Optional<Path> caFile) {
    try {
      List<X509Certificate> extra = new ArrayList<>();
      if (caFile.isPresent()) {
        try (InputStream in = Files.newInputStream(caFile.get())) {
          for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in))
            extra.add((X509Certificate) c);
        }
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      TrustManagerFactory jdk =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      int i = 0;
      for (var tm : jdk.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate c : x.getAcceptedIssuers())
            store.setCertificateEntry("jdk-" + i++, c);
        }
      }
      for (X509Certificate c : extra) store.setCertificateEntry("extra-" + i++, c);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return new ProviderTrust(ctx, extra);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot load HERALD_PROVIDER_CA_FILE: " + e.getMessage(), e);
    }
  }

  public SSLContext sslContext() {
    return context;
  }

  /** The certificates added beyond the JDK's. */
  public X509Certificate[] extraCertificates() {
    return extra.toArray(X509Certificate[]::new);
  }
}
