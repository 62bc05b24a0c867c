package dev.herald.push.apns;

/**
 * The APNs signing key could not be used: the text is not a PEM PKCS#8 private key, or the key is
 * not an EC P-256 key that can sign ES256. The message says which, in words fit for an API error.
 */
public final class InvalidSigningKeyException extends IllegalArgumentException {
  InvalidSigningKeyException(String message) {
    super(message);
  }

  InvalidSigningKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
