package dev.herald.provider;

import dev.herald.push.webpush.VapidKeys;
import java.util.Map;
import java.util.Set;

/** {@code webpush}: VAPID keys and subject; keys are generated when the body has none. */
final class WebPushSpec implements ProviderSpec {
  private final String defaultSubject;

  WebPushSpec(String defaultSubject) {
    this.defaultSubject = defaultSubject;
  }

  @Override
  public String kind() {
    return "webpush";
  }

  @Override
  public Set<String> secretFields() {
    return Set.of("private_key");
  }

  @Override
  public Map<String, Object> validate(Map<String, Object> body) {
    Fields f = new Fields(body, Set.of("subject", "public_key", "private_key"));
    String subject = f.text("subject", false);
    f.check(
        subject == null || subject.startsWith("mailto:") || subject.startsWith("https://"),
        "subject",
        "must be a mailto: or https: URL where the push service can reach the sender");
    if (subject == null) f.put("subject", defaultSubject);
    String pub = f.text("public_key", false);
    String priv = f.text("private_key", false);
    f.check(
        (pub == null) == (priv == null),
        pub == null ? "public_key" : "private_key",
        "give both keys, or neither to have them generated");
    if (pub != null && priv != null) {
      try {
        VapidKeys.fromBase64Url(pub, priv);
      } catch (IllegalArgumentException e) {
        String message = e.getMessage() == null ? "is not a P-256 key" : e.getMessage();
        f.check(
            false,
            message.toLowerCase(java.util.Locale.ROOT).startsWith("vapid private")
                ? "private_key"
                : "public_key",
            message);
      }
    } else if (pub == null && priv == null) {
      VapidKeys generated = VapidKeys.generate();
      f.put("public_key", generated.publicKeyBase64Url());
      f.put("private_key", generated.privateKeyBase64Url());
    }
    return f.result();
  }
}
