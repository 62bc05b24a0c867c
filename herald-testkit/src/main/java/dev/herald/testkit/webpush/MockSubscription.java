package dev.herald.testkit.webpush;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A push subscription minted by a {@link MockPushService}, as a browser would hold it: an endpoint
 * on the mock, a fresh P-256 key pair whose public half is {@code p256dh}, and a random 16-byte
 * {@code auth} secret. The private key stays with the mock, which decrypts what is sent here.
 * Immutable.
 */
public final class MockSubscription {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String id;
  private final String endpoint;
  private final byte[] publicKey;
  private final PrivateKey privateKey;
  private final byte[] auth;
  private final String applicationServerKey;

  MockSubscription(
      String id,
      String endpoint,
      KeyPair keys,
      byte[] publicKey,
      byte[] auth,
      String applicationServerKey) {
    this.id = id;
    this.endpoint = endpoint;
    this.publicKey = publicKey;
    this.privateKey = keys.getPrivate();
    this.auth = auth;
    this.applicationServerKey = applicationServerKey;
  }

  /** The path segment that names this subscription on the mock. */
  public String id() {
    return id;
  }

  public String endpoint() {
    return endpoint;
  }

  /** The user agent's public key, 65-byte uncompressed point, base64url. */
  public String p256dh() {
    return b64(publicKey);
  }

  /** The 16-byte auth secret, base64url. */
  public String auth() {
    return b64(auth);
  }

  /**
   * The VAPID public key this subscription is restricted to (base64url), or null when any key is
   * accepted.
   */
  public String applicationServerKey() {
    return applicationServerKey;
  }

  /** {@code PushSubscription.toJSON()}: {@code {"endpoint", "expirationTime", "keys"}}. */
  public String toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("endpoint", endpoint);
    json.put("expirationTime", null);
    json.put("keys", Map.of("p256dh", p256dh(), "auth", auth()));
    return JSON.writeValueAsString(json);
  }

  /**
   * Decrypts an {@code aes128gcm} body sent to this subscription, as the browser would.
   *
   * @throws IllegalArgumentException when the body is malformed or does not decrypt
   */
  public byte[] decrypt(byte[] body) {
    try {
      return Aes128GcmReceiver.decrypt(body, privateKey, publicKey, auth);
    } catch (Aes128GcmReceiver.DecryptionException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  byte[] publicKeyBytes() {
    return publicKey;
  }

  byte[] authBytes() {
    return auth;
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  @Override
  public String toString() {
    return "MockSubscription[" + endpoint + "]";
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
