package dev.herald.push.webpush;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.amazon.corretto.crypto.provider.SelfTestStatus;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA providers that Web Push encryption and VAPID signing run on: the Amazon Corretto Crypto
 * Provider (ACCP, native AWS-LC, about ten times faster here) where its native library loads and
 * passes its self-tests, the JDK's own providers otherwise.
 *
 * <p>Providers are asked for by instance, never installed JVM-wide: choosing ACCP here does not
 * change what TLS or the rest of the process uses. Immutable and thread-safe; each factory method
 * answers a fresh, unshared engine.
 */
public final class CryptoSuite {
  private static final Logger log = LoggerFactory.getLogger(CryptoSuite.class);
  private static final String P256 = "secp256r1";
  private static final String ES256 = "SHA256withECDSAinP1363Format";

  private final String name;
  private final Provider ec;
  private final Provider symmetric;

  private CryptoSuite(String name, Provider ec, Provider symmetric) {
    this.name = name;
    this.ec = ec;
    this.symmetric = symmetric;
  }

  /** The JDK's providers (SunEC for P-256, SunJCE for AES-GCM and HMAC), whatever is installed. */
  public static CryptoSuite jdk() {
    Provider sunEc = Security.getProvider("SunEC");
    Provider sunJce = Security.getProvider("SunJCE");
    if (sunEc == null || sunJce == null)
      throw new IllegalStateException("the JDK providers SunEC and SunJCE are not available");
    return new CryptoSuite("JDK (SunEC, SunJCE)", sunEc, sunJce);
  }

  /**
   * ACCP when its native library loaded and its self-tests passed; empty otherwise (other
   * platforms, a missing or broken native library), with the reason logged.
   */
  public static Optional<CryptoSuite> corretto() {
    return Corretto.SUITE;
  }

  /** The fastest suite that works here: ACCP if usable, else the JDK's. Logs which one. */
  public static CryptoSuite fastest() {
    CryptoSuite suite = corretto().orElseGet(CryptoSuite::jdk);
    log.info("Web Push crypto uses {}", suite.name());
    return suite;
  }

  private static final class Corretto {
    // Probed once: the self-tests take a few milliseconds.
    static final Optional<CryptoSuite> SUITE = probe();
  }

  private static Optional<CryptoSuite> probe() {
    try {
      AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
      Throwable loading = accp.getLoadingError();
      if (loading != null) {
        log.info("Amazon Corretto Crypto Provider unavailable: {}", loading.toString());
        return Optional.empty();
      }
      SelfTestStatus selfTest = accp.runSelfTests();
      if (selfTest != SelfTestStatus.PASSED) {
        log.warn("Amazon Corretto Crypto Provider self-test {}: not using it", selfTest);
        return Optional.empty();
      }
      return Optional.of(
          new CryptoSuite("Amazon Corretto Crypto Provider " + accp.getVersionStr(), accp, accp));
    } catch (LinkageError | RuntimeException e) {
      log.info("Amazon Corretto Crypto Provider unavailable: {}", e.toString());
      return Optional.empty();
    }
  }

  /** A human-readable name, e.g. for logs and health checks. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }

  KeyPairGenerator p256KeyPairGenerator() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", ec);
    generator.initialize(new ECGenParameterSpec(P256));
    return generator;
  }

  KeyFactory ecKeyFactory() throws GeneralSecurityException {
    return KeyFactory.getInstance("EC", ec);
  }

  KeyAgreement ecdh() throws GeneralSecurityException {
    return KeyAgreement.getInstance("ECDH", ec);
  }

  /** ECDSA P-256 with SHA-256, signatures in the JOSE form (r || s, 64 bytes). */
  Signature es256() throws GeneralSecurityException {
    return Signature.getInstance(ES256, ec);
  }

  Cipher aesGcm() throws GeneralSecurityException {
    return Cipher.getInstance("AES/GCM/NoPadding", symmetric);
  }

  Mac hmacSha256() throws GeneralSecurityException {
    return Mac.getInstance("HmacSHA256", symmetric);
  }
}
