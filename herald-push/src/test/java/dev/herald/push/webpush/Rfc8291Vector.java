package dev.herald.push.webpush;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;

/** The worked example of RFC 8291 Appendix A. */
final class Rfc8291Vector {
  static final byte[] PLAINTEXT =
      "When I grow up, I want to be a watermelon".getBytes(StandardCharsets.US_ASCII);
  static final String AS_PUBLIC =
      "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
  static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
  static final String UA_PUBLIC =
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
  static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
  static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
  static final String BODY =
      "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYW"
          + "AmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexS"
          + "gSxsj_Qulcy4a-fN";

  private Rfc8291Vector() {}

  static byte[] b64(String text) {
    return Base64.getUrlDecoder().decode(text);
  }

  /** The application server's fixed key pair of the example, as keys of {@code crypto}. */
  static KeyPair senderKeys(CryptoSuite crypto) throws Exception {
    KeyFactory factory = crypto.ecKeyFactory();
    return new KeyPair(
        factory.generatePublic(
            new ECPublicKeySpec(P256.decodePoint(b64(AS_PUBLIC), "as_public"), P256.PARAMS)),
        factory.generatePrivate(
            new ECPrivateKeySpec(new BigInteger(1, b64(AS_PRIVATE)), P256.PARAMS)));
  }
}
