package dev.herald.preference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;

/** Assertions on answers shared by the preference tests. */
final class SendAssertions {
  private SendAssertions() {}

  /** A problem+json answer with {@code status} whose field errors name exactly {@code fields}. */
  static void problem(ApiClient.Response r, int status, String... fields) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()).distinct())
        .as(r.toString())
        .containsExactlyInAnyOrder(fields);
  }
}
