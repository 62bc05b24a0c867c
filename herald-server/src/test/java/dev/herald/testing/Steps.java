package dev.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/** Setup steps through the API that several end-to-end suites share; each checks its answer. */
public final class Steps {
  private Steps() {}

  /** Upserts a subscriber and registers an APNs device (a random token) for it. */
  public static void subscriberWithApnsDevice(
      ApiClient api, String id, Map<String, Object> profile) {
    var r = api.put("/v1/subscribers/" + id, profile);
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
    byte[] token = new byte[32];
    new SecureRandom().nextBytes(token);
    var d =
        api.post(
            "/v1/devices",
            Map.of(
                "subscriber_id",
                id,
                "provider",
                "apns",
                "platform",
                "ios",
                "token",
                HexFormat.of().formatHex(token)));
    assertThat(d.status()).as(d.toString()).isEqualTo(201);
  }

  public static ApiClient.Response putPreferences(
      ApiClient api, String subscriber, Map<String, Object> body) {
    var r = api.put("/v1/subscribers/" + subscriber + "/preferences", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r;
  }

  public static ApiClient.Response putCategory(
      ApiClient api, String key, Map<String, Object> body) {
    var r = api.put("/v1/categories/" + key, body);
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
    return r;
  }
}
