package dev.herald.device;

import dev.herald.egress.EgressGuard;
import dev.herald.web.ApiException.FieldError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Token shapes per provider: what a registration or a raw-token send must look like, and which
 * provider a bare token belongs to.
 */
public final class DeviceTokens {
  public static final Set<String> PROVIDERS = Set.of("apns", "fcm", "expo", "webpush");
  public static final Set<String> PLATFORMS = Set.of("ios", "android", "web", "macos", "other");
  private static final Pattern APNS = Pattern.compile("([0-9a-fA-F]{2}){32,100}");
  private static final Pattern EXPO =
      Pattern.compile("Expo(nent)?PushToken\\[[A-Za-z0-9_\\-]{8,200}]");
  private static final Pattern FCM = Pattern.compile("[A-Za-z0-9_:.\\-]{20,4096}");

  private DeviceTokens() {}

  /** The provider a token's shape tells, if any. */
  public static Optional<String> infer(String token) {
    if (token == null) return Optional.empty();
    if (EXPO.matcher(token).matches()) return Optional.of("expo");
    if (APNS.matcher(token).matches() && token.length() == 64) return Optional.of("apns");
    if (FCM.matcher(token).matches()) return Optional.of("fcm");
    return Optional.empty();
  }

  /** Errors in a provider token (not Web Push), reported under {@code field}. */
  public static List<FieldError> checkToken(String provider, String token, String field) {
    List<FieldError> errors = new ArrayList<>();
    if (token == null || token.isEmpty()) {
      errors.add(new FieldError(field, "is required"));
      return errors;
    }
    boolean ok =
        switch (provider) {
          case "apns" -> APNS.matcher(token).matches();
          case "expo" -> EXPO.matcher(token).matches();
          case "fcm" -> FCM.matcher(token).matches();
          default -> false;
        };
    if (!ok) {
      errors.add(
          new FieldError(
              field,
              switch (provider) {
                case "apns" -> "must be an APNs device token: 64 or more hex digits";
                case "expo" -> "must be an Expo push token such as ExponentPushToken[xxxx]";
                case "fcm" -> "must be an FCM registration token";
                default -> "is not valid for provider " + provider;
              }));
    }
    return errors;
  }

  /**
   * Errors in a Web Push subscription: an endpoint the egress guard allows, a public key that is a
   * point on P-256, and a 16-byte secret.
   */
  public static List<FieldError> checkSubscription(
      String endpoint, String p256dh, String auth, EgressGuard guard, String field) {
    List<FieldError> errors = new ArrayList<>();
    if (endpoint == null || endpoint.length() > 2048) {
      errors.add(
          new FieldError(field + ".endpoint", "must be an https URL of at most 2048 characters"));
    } else {
      guard
          .refusal(endpoint)
          .ifPresent(why -> errors.add(new FieldError(field + ".endpoint", why)));
    }
    byte[] key = decode(p256dh);
    if (key == null || key.length != 65 || key[0] != 0x04 || !onP256(key)) {
      errors.add(
          new FieldError(
              field + ".keys.p256dh", "must be a base64url uncompressed P-256 point (65 bytes)"));
    }
    byte[] secret = decode(auth);
    if (secret == null || secret.length != 16) {
      errors.add(new FieldError(field + ".keys.auth", "must be a base64url 16-byte secret"));
    }
    return errors;
  }

  private static final BigInteger P =
      new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
  private static final BigInteger B =
      new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

  /** Whether an uncompressed point satisfies y² = x³ − 3x + b (mod p) on P-256. */
  static boolean onP256(byte[] point) {
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) return false;
    BigInteger right = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
    return y.pow(2).mod(P).equals(right);
  }

  private static byte[] decode(String b64) {
    if (b64 == null) return null;
    try {
      return Base64.getUrlDecoder()
          .decode(b64.replace('+', '-').replace('/', '_').replace("=", ""));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
