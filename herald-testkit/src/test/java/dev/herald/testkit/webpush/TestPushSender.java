package dev.herald.testkit.webpush;

import static java.nio.charset.StandardCharsets.US_ASCII;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** A minimal application server for testing the mock: RFC 8291 encryption and a VAPID header. */
final class TestPushSender implements AutoCloseable {
  final KeyPair vapidKeys = newKeyPair();
  private final HttpClient http;

  TestPushSender(MockPushService mock) {
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2);
    if (mock.clientSslContext() != null) builder.sslContext(mock.clientSslContext());
    http = builder.build();
  }

  String vapidPublicKey() {
    return b64(uncompressed((ECPublicKey) vapidKeys.getPublic()));
  }

  /**
   * {@code vapid t=…, k=…} for {@code audience}, expiring at {@code exp}, signed with {@code
   * signer}.
   */
  String authorization(String audience, Instant exp, String subject, KeyPair signer)
      throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(),
            new JWTClaimsSet.Builder()
                .audience(audience)
                .expirationTime(Date.from(exp))
                .subject(subject)
                .build());
    jwt.sign(new ECDSASigner((ECPrivateKey) signer.getPrivate()));
    return "vapid t=" + jwt.serialize() + ", k=" + vapidPublicKey();
  }

  String authorization(MockPushService mock) throws Exception {
    return authorization(
        mock.origin(),
        Instant.now().plus(Duration.ofHours(1)),
        "mailto:ops@example.com",
        vapidKeys);
  }

  HttpResponse<String> post(MockSubscription to, String authorization, byte[] body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(to.endpoint()))
            .header("TTL", "60")
            .header("Content-Encoding", "aes128gcm")
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) request.header("Authorization", authorization);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** RFC 8291 encryption for {@code to}, one record, no padding. */
  static byte[] encrypt(MockSubscription to, byte[] plaintext) throws Exception {
    byte[] uaPublic = Base64.getUrlDecoder().decode(to.p256dh());
    byte[] auth = Base64.getUrlDecoder().decode(to.auth());
    KeyPair sender = newKeyPair();
    byte[] asPublic = uncompressed((ECPublicKey) sender.getPublic());
    ECPublicKey ua =
        (ECPublicKey)
            KeyFactory.getInstance("EC")
                .generatePublic(
                    new ECPublicKeySpec(
                        new ECPoint(
                            new BigInteger(1, Arrays.copyOfRange(uaPublic, 1, 33)),
                            new BigInteger(1, Arrays.copyOfRange(uaPublic, 33, 65))),
                        ((ECPublicKey) sender.getPublic()).getParams()));
    KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
    ecdh.init(sender.getPrivate());
    ecdh.doPhase(ua, true);
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    KDF hkdf = KDF.getInstance("HKDF-SHA256");
    byte[] keyInfo =
        ByteBuffer.allocate(14 + 130)
            .put("WebPush: info\0".getBytes(US_ASCII))
            .put(uaPublic)
            .put(asPublic)
            .array();
    byte[] ikm =
        hkdf.deriveData(
            HKDFParameterSpec.ofExtract()
                .addIKM(ecdh.generateSecret())
                .addSalt(auth)
                .thenExpand(keyInfo, 32));
    byte[] cek =
        hkdf.deriveData(
            HKDFParameterSpec.ofExtract()
                .addIKM(ikm)
                .addSalt(salt)
                .thenExpand("Content-Encoding: aes128gcm\0".getBytes(US_ASCII), 16));
    byte[] nonce =
        hkdf.deriveData(
            HKDFParameterSpec.ofExtract()
                .addIKM(ikm)
                .addSalt(salt)
                .thenExpand("Content-Encoding: nonce\0".getBytes(US_ASCII), 12));
    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] record = Arrays.copyOf(plaintext, plaintext.length + 1);
    record[plaintext.length] = 2;
    byte[] ciphertext = aes.doFinal(record);
    return ByteBuffer.allocate(86 + ciphertext.length)
        .put(salt)
        .putInt(4096)
        .put((byte) 65)
        .put(asPublic)
        .put(ciphertext)
        .array();
  }

  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    byte[] x = key.getW().getAffineX().toByteArray();
    byte[] y = key.getW().getAffineY().toByteArray();
    int lx = Math.min(32, x.length);
    int ly = Math.min(32, y.length);
    System.arraycopy(x, x.length - lx, out, 33 - lx, lx);
    System.arraycopy(y, y.length - ly, out, 65 - ly, ly);
    return out;
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void close() {
    http.close();
  }
}
