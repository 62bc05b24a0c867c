package dev.herald.testkit.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Aes128GcmReceiverTest {
  // RFC 8291 Appendix A.
  private static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
  private static final String UA_PUBLIC =
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
  private static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
  private static final String BODY =
      "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

  @Test
  void theRfc8291AppendixAMessageDecryptsToItsPlaintext() throws Exception {
    byte[] plaintext =
        Aes128GcmReceiver.decrypt(b64(BODY), uaPrivateKey(), b64(UA_PUBLIC), b64(AUTH));

    assertThat(new String(plaintext, StandardCharsets.UTF_8))
        .isEqualTo("When I grow up, I want to be a watermelon");
  }

  @Test
  void aWrongAuthSecretFailsTheTagCheck() throws Exception {
    byte[] wrongAuth = b64(AUTH);
    wrongAuth[0] ^= 1;

    assertThatThrownBy(
            () -> Aes128GcmReceiver.decrypt(b64(BODY), uaPrivateKey(), b64(UA_PUBLIC), wrongAuth))
        .isInstanceOf(Aes128GcmReceiver.DecryptionException.class)
        .hasMessageContaining("decryption failed");
  }

  @Test
  void aHeaderWithAnotherKeyIdLengthIsRefused() throws Exception {
    byte[] body = b64(BODY);
    body[20] = 64;

    assertThatThrownBy(
            () -> Aes128GcmReceiver.decrypt(body, uaPrivateKey(), b64(UA_PUBLIC), b64(AUTH)))
        .hasMessageContaining("idlen 64");
  }

  private static PrivateKey uaPrivateKey() throws Exception {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    return KeyFactory.getInstance("EC")
        .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, b64(UA_PRIVATE)), spec));
  }

  private static byte[] b64(String s) {
    return Base64.getUrlDecoder().decode(s);
  }
}
