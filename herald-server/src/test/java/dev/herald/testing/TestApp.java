package dev.herald.testing;

import tools.jackson.databind.JsonNode;

/**
 * An app created through {@code POST /v1/apps} with the admin key, holding the values that answer
 * shows only once: its keys and its subscriber-signing secret.
 */
public record TestApp(
    String id,
    String name,
    String secretKey,
    String publishableKey,
    String signingSecret,
    String baseUrl) {

  /** Creates app {@code name} on {@code server}; fails the test unless Herald answers 201. */
  public static TestApp create(TestServer server, String name) {
    ApiClient.Response r = server.admin().post("/v1/apps", java.util.Map.of("name", name));
    if (r.status() != 201) throw new AssertionError("creating app " + name + ": " + r);
    JsonNode app = r.json();
    return new TestApp(
        app.get("id").asString(),
        app.get("name").asString(),
        app.get("secret_key").asString(),
        app.get("publishable_key").asString(),
        app.get("subscriber_signing_secret").asString(),
        server.baseUrl());
  }

  /** A client with this app's secret key. */
  public ApiClient api() {
    return new ApiClient(baseUrl).withKey(secretKey);
  }

  /** A client with this app's publishable key. */
  public ApiClient publishable() {
    return new ApiClient(baseUrl).withKey(publishableKey);
  }
}
