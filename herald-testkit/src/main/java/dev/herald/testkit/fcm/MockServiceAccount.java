package dev.herald.testkit.fcm;

/**
 * A service account the mock minted and trusts: a fresh RSA key pair whose private half sits in
 * {@code json} (the file Google would let you download) and whose {@code token_uri} points at the
 * mock.
 */
public record MockServiceAccount(String projectId, String clientEmail, String json) {
  @Override
  public String toString() {
    return "MockServiceAccount[" + clientEmail + "]"; // the JSON holds a private key
  }
}
