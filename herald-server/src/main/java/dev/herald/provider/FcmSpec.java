package dev.herald.provider;

import dev.herald.egress.EgressGuard;
import java.util.Map;
import java.util.Set;

/** {@code fcm}: a Google service account for the HTTP v1 API. */
final class FcmSpec implements ProviderSpec {
  private static final Set<String> ACCOUNT =
      Set.of(
          "type",
          "project_id",
          "private_key_id",
          "private_key",
          "client_email",
          "client_id",
          "auth_uri",
          "token_uri",
          "auth_provider_x509_cert_url",
          "client_x509_cert_url",
          "universe_domain");
  private final EgressGuard egress;

  FcmSpec(EgressGuard egress) {
    this.egress = egress;
  }

  @Override
  public String kind() {
    return "fcm";
  }

  @Override
  public Set<String> secretFields() {
    return Set.of("service_account.private_key", "service_account.private_key_id");
  }

  @Override
  public Map<String, Object> validate(Map<String, Object> body) {
    Fields f = new Fields(body, Set.of("service_account", "endpoint"));
    Fields account = f.object("service_account", ACCOUNT);
    String type = account.text("type", false);
    account.check(
        type == null || type.equals("service_account"), "type", "must be service_account");
    account.text("project_id", true);
    account.text("client_email", true);
    String pem = account.text("private_key", true);
    account.check(
        pem == null || Pem.privateKey(pem, "RSA").isPresent(),
        "private_key",
        "must be the service account's PEM private key");
    String tokenUri = account.text("token_uri", false);
    if (tokenUri != null)
      egress.refusal(tokenUri).ifPresent(why -> account.check(false, "token_uri", why));
    for (String extra : ACCOUNT) account.keep(extra);
    f.endpoint(egress);
    return f.result();
  }
}
