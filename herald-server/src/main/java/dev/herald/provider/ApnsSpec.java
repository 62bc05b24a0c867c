package dev.herald.provider;

import dev.herald.egress.EgressGuard;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code apns}: token auth with a .p8 key. */
final class ApnsSpec implements ProviderSpec {
  private static final Pattern TEN = Pattern.compile("[A-Z0-9]{10}");
  private final EgressGuard egress;

  ApnsSpec(EgressGuard egress) {
    this.egress = egress;
  }

  @Override
  public String kind() {
    return "apns";
  }

  @Override
  public Set<String> secretFields() {
    return Set.of("signing_key");
  }

  @Override
  public Map<String, Object> validate(Map<String, Object> body) {
    Fields f =
        new Fields(
            body, Set.of("team_id", "key_id", "signing_key", "topic", "environment", "endpoint"));
    String team = f.text("team_id", true);
    f.check(
        team == null || TEN.matcher(team).matches(),
        "team_id",
        "must be the 10-character Apple team id");
    String key = f.text("key_id", true);
    f.check(
        key == null || TEN.matcher(key).matches(),
        "key_id",
        "must be the 10-character key id of the .p8 key");
    String pem = f.text("signing_key", true);
    if (pem != null) {
      var parsed = Pem.privateKey(pem, "EC");
      f.check(
          parsed.isPresent(),
          "signing_key",
          "must be the .p8 file's PEM text (-----BEGIN PRIVATE KEY-----)");
      f.check(
          parsed.isEmpty() || Pem.isP256(parsed.get()),
          "signing_key",
          "must be a P-256 (ES256) key");
    }
    f.text("topic", true);
    String env = f.text("environment", false);
    f.check(
        env == null || env.equals("production") || env.equals("sandbox"),
        "environment",
        "must be production or sandbox");
    if (env == null) f.put("environment", "production");
    f.endpoint(egress);
    return f.result();
  }
}
