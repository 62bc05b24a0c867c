package dev.herald.provider;

import dev.herald.egress.EgressGuard;
import java.util.Map;
import java.util.Set;

/** {@code expo}: Expo's push service, with an optional access token. */
final class ExpoSpec implements ProviderSpec {
  private final EgressGuard egress;

  ExpoSpec(EgressGuard egress) {
    this.egress = egress;
  }

  @Override
  public String kind() {
    return "expo";
  }

  @Override
  public Set<String> secretFields() {
    return Set.of("access_token");
  }

  @Override
  public Map<String, Object> validate(Map<String, Object> body) {
    Fields f = new Fields(body, Set.of("access_token", "endpoint"));
    f.text("access_token", false);
    f.endpoint(egress);
    return f.result();
  }
}
