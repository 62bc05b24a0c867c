package dev.herald.push.fcm;

import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

/** A service account with a fresh key that no token endpoint knows: for offline tests. */
final class FcmServiceAccountFixture {
  final FcmServiceAccount account;

  FcmServiceAccountFixture() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      account =
          new FcmServiceAccount(
              "offline",
              "sender@offline.iam.gserviceaccount.com",
              "k1",
              generator.generateKeyPair().getPrivate(),
              URI.create("https://127.0.0.1:9/token"));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  FcmClient.Builder builder() {
    return FcmClient.builder().serviceAccount(account);
  }
}
