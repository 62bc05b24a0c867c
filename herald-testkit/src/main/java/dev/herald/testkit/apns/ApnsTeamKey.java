package dev.herald.testkit.apns;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * An APNs auth key as Apple would issue it: a fresh P-256 key pair, its {@code .p8} text (PKCS#8
 * PEM) for the client, and its public half for {@link ApnsMock}. Immutable.
 */
public record ApnsTeamKey(
    String teamId, String keyId, ECPublicKey publicKey, ECPrivateKey privateKey) {

  /** A new key for {@code teamId}, named {@code keyId}. */
  public static ApnsTeamKey generate(String teamId, String keyId) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new ApnsTeamKey(
          teamId, keyId, (ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make P-256 keys", e);
    }
  }

  /** The private key as the .p8 file holds it: {@code -----BEGIN PRIVATE KEY-----} PEM. */
  public String privateKeyPem() {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(privateKey.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** A provider token signed with this key, issued at {@code issuedAt}, for driving the mock. */
  public String providerToken(Instant issuedAt) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).build(),
              new JWTClaimsSet.Builder().issuer(teamId).issueTime(Date.from(issuedAt)).build());
      jwt.sign(new ECDSASigner(privateKey));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "ApnsTeamKey[team=" + teamId + ", key=" + keyId + "]";
  }
}
