package dev.herald.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}, one
 * per valid secret, separated by spaces (two while a rotated-out secret is still honoured).
 */
final class Signatures {
  private Signatures() {}

  static String header(
      List<SigningSecret> secrets, String messageId, long timestampSeconds, String body) {
    return secrets.stream()
        .map(s -> sign(s, messageId, timestampSeconds, body))
        .collect(Collectors.joining(" "));
  }

  static String sign(SigningSecret secret, String messageId, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
      byte[] signed =
          mac.doFinal(
              (messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(signed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
