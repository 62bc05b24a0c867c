package dev.herald.sms;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Twilio-Signature}: base64 of HMAC-SHA1, keyed with the account's auth token, over the
 * full URL Twilio requested followed by every POST parameter, sorted by name, as name then value.
 * Twilio may have signed the URL with or without the scheme's default port, so both are tried, as
 * Twilio's own libraries do.
 */
final class TwilioSignature {
  private TwilioSignature() {}

  static String sign(String authToken, String url, Map<String, List<String>> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params)
        .forEach(
            (name, values) -> values.stream().sorted().forEach(v -> data.append(name).append(v)));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }

  /** Constant-time check of {@code signature} against each form of {@code url}. */
  static boolean verify(
      String authToken, String url, Map<String, List<String>> params, String signature) {
    if (signature == null || signature.isBlank()) return false;
    byte[] presented = signature.strip().getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (String candidate : urlForms(url)) {
      ok |=
          MessageDigest.isEqual(
              presented, sign(authToken, candidate, params).getBytes(StandardCharsets.UTF_8));
    }
    return ok;
  }

  static Set<String> urlForms(String url) {
    Set<String> forms = new LinkedHashSet<>(List.of(url));
    URI u = URI.create(url);
    int standard = "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    String authority = u.getRawAuthority();
    String rest = url.substring(url.indexOf(authority) + authority.length());
    String prefix = u.getScheme() + "://";
    if (u.getPort() == -1) forms.add(prefix + authority + ":" + standard + rest);
    else if (u.getPort() == standard)
      forms.add(prefix + authority.substring(0, authority.lastIndexOf(':')) + rest);
    return forms;
  }
}
