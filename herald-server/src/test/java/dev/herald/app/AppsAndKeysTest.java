package dev.herald.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AppsAndKeysTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void createdAppAnswersItsKeysOnceAndTheyWork() {
    var r = server.admin().post("/v1/apps", Map.of("name", "shop"));

    assertThat(r.status()).isEqualTo(201);
    JsonNode app = r.json();
    assertThat(app.get("id").asString()).isNotBlank();
    assertThat(app.get("name").asString()).isEqualTo("shop");
    assertThat(app.get("created_at").asString()).endsWith("Z");
    String secret = app.get("secret_key").asString();
    String publishable = app.get("publishable_key").asString();
    assertThat(secret).startsWith("sk_").hasSizeGreaterThanOrEqualTo(40);
    assertThat(publishable).startsWith("pk_").hasSizeGreaterThanOrEqualTo(40);
    assertThat(app.get("subscriber_signing_secret").asString()).hasSizeGreaterThanOrEqualTo(32);

    ApiClient shop = server.anonymous().withKey(secret);
    assertThat(shop.put("/v1/subscribers/u1", Map.of()).status()).isEqualTo(201);
    assertThat(shop.get("/v1/subscribers/u1").status()).isEqualTo(200);
    var device =
        server
            .anonymous()
            .withKey(publishable)
            .post(
                "/v1/devices", Map.of("provider", "expo", "token", "ExponentPushToken[abcdef12]"));
    assertThat(device.status()).isEqualTo(201);

    // Listed later, the app shows no key material.
    var listed = server.admin().get("/v1/apps?limit=500");
    assertThat(listed.body()).doesNotContain(secret).doesNotContain(publishable);
    assertThat(listed.body())
        .doesNotContain(app.get("subscriber_signing_secret").asString())
        .contains("\"shop\"");
  }

  @Test
  void appsPageWithCursorsUntilTheLastPageWithoutDuplicates() {
    for (int i = 0; i < 5; i++) TestApp.create(server, "paged-" + i);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var r = server.admin().get("/v1/apps?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).isEqualTo(200);
      JsonNode data = r.json().get("data");
      assertThat(data.size()).isBetween(1, 2);
      data.forEach(a -> seen.add(a.get("name").asString()));
      JsonNode next = r.json().get("next_cursor");
      cursor = next.isNull() ? null : next.asString();
      pages++;
      assertThat(pages).isLessThan(100);
    } while (cursor != null);

    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen).contains("default", "paged-0", "paged-1", "paged-2", "paged-3", "paged-4");
    assertThat(pages).isGreaterThanOrEqualTo(3);
    assertThat(seen).hasSize(server.admin().get("/v1/apps?limit=500").json().get("data").size());
  }

  @Test
  void duplicateAppNameIsAConflict() {
    TestApp.create(server, "twice");

    var r = server.admin().post("/v1/apps", Map.of("name", "twice"));

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asString()).isEqualTo("conflict");
  }

  @Test
  void invalidAppNameIsRefusedNamingTheField() {
    var r = server.admin().post("/v1/apps", Map.of("name", "no spaces please"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
  }

  @Test
  void onlyTheAdminKeyManagesApps() {
    for (ApiClient notAdmin :
        List.of(server.api(), server.anonymous().withKey(TestServer.PUBLISHABLE_KEY))) {
      var create = notAdmin.post("/v1/apps", Map.of("name", "sneaky"));
      var list = notAdmin.get("/v1/apps");
      assertThat(create.status()).isEqualTo(403);
      assertThat(list.status()).isEqualTo(403);
      assertThat(create.json().get("code").asString()).isEqualTo("forbidden");
    }
    assertThat(server.admin().get("/v1/apps?limit=500").body()).doesNotContain("sneaky");
    assertThat(server.anonymous().get("/v1/apps").status()).isEqualTo(401);
  }

  @Test
  void theAdminKeyCannotUseAppRoutes() {
    assertThat(server.admin().get("/v1/subscribers").status()).isEqualTo(403);
    assertThat(server.admin().get("/v1/keys").status()).isEqualTo(403);
  }

  @Test
  void newSecretKeyWorksAndKeyListsNeverShowKeyValues() {
    TestApp app = TestApp.create(server, "rotating");
    var created = app.api().post("/v1/keys", Map.of("kind", "secret", "name", "ci"));

    assertThat(created.status()).isEqualTo(201);
    String value = created.json().get("key").asString();
    String id = created.json().get("id").asString();
    assertThat(value).startsWith("sk_");
    assertThat(created.json().get("kind").asString()).isEqualTo("secret");
    assertThat(created.json().get("name").asString()).isEqualTo("ci");
    assertThat(created.json().get("revoked_at").isNull()).isTrue();

    ApiClient withNewKey = server.anonymous().withKey(value);
    assertThat(withNewKey.put("/v1/subscribers/k1", Map.of()).status()).isEqualTo(201);
    // The key belongs to the same app as the key that made it.
    assertThat(app.api().get("/v1/subscribers/k1").status()).isEqualTo(200);

    var listed = app.api().get("/v1/keys");
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body())
        .doesNotContain(value)
        .doesNotContain(app.secretKey())
        .doesNotContain(app.publishableKey());
    List<String> ids = new ArrayList<>();
    listed.json().get("data").forEach(k -> ids.add(k.get("id").asString()));
    // The two initial keys and the new one.
    assertThat(ids).hasSize(3).contains(id);
    listed
        .json()
        .get("data")
        .forEach(
            k -> {
              assertThat(k.has("key")).isFalse();
              // None of these keys was revoked.
              assertThat(k.get("revoked_at").isNull()).as(k.toString()).isTrue();
              assertThat(k.get("prefix").asString()).hasSizeLessThanOrEqualTo(10);
            });
  }

  @Test
  void newPublishableKeyRegistersDevicesButCannotUseSecretRoutes() {
    TestApp app = TestApp.create(server, "second-pk");
    var created = app.api().post("/v1/keys", Map.of("kind", "publishable"));
    assertThat(created.status()).isEqualTo(201);
    String value = created.json().get("key").asString();
    assertThat(value).startsWith("pk_");

    ApiClient client = server.anonymous().withKey(value);
    assertThat(
            client
                .post(
                    "/v1/devices", Map.of("provider", "expo", "token", "ExpoPushToken[pk2abcdef]"))
                .status())
        .isEqualTo(201);
    assertThat(client.get("/v1/subscribers").status()).isEqualTo(403);
  }

  @Test
  void unknownKeyKindIsRefused() {
    var r = server.api().post("/v1/keys", Map.of("kind", "admin"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("kind");
  }

  @Test
  void revokedKeyIsRefusedOnTheVeryNextRequest() {
    TestApp app = TestApp.create(server, "revoking");
    var created = app.api().post("/v1/keys", Map.of("kind", "secret"));
    String value = created.json().get("key").asString();
    String id = created.json().get("id").asString();
    ApiClient doomed = server.anonymous().withKey(value);
    assertThat(doomed.get("/v1/subscribers").status()).isEqualTo(200);

    var revoked = app.api().delete("/v1/keys/" + id);

    assertThat(revoked.status()).isEqualTo(204);
    var refused = doomed.get("/v1/subscribers");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
    // The list keeps the key, marked revoked; the app's other keys still work.
    JsonNode listed = app.api().get("/v1/keys").json().get("data");
    boolean found = false;
    for (JsonNode k : listed) {
      if (k.get("id").asString().equals(id)) {
        found = true;
        assertThat(k.get("revoked_at").asString()).endsWith("Z");
      }
    }
    assertThat(found).isTrue();
    assertThat(app.api().get("/v1/subscribers").status()).isEqualTo(200);
    // Revoking twice finds nothing left to revoke.
    assertThat(app.api().delete("/v1/keys/" + id).status()).isEqualTo(404);
  }

  @Test
  void revokingTheCallingKeyItselfTakesEffectImmediately() {
    TestApp app = TestApp.create(server, "self-revoke");
    String ownId = null;
    for (JsonNode k : app.api().get("/v1/keys").json().get("data")) {
      if (k.get("kind").asString().equals("secret")) ownId = k.get("id").asString();
    }

    assertThat(app.api().delete("/v1/keys/" + ownId).status()).isEqualTo(204);

    assertThat(app.api().get("/v1/keys").status()).isEqualTo(401);
  }

  @Test
  void revokingAnUnknownKeyIsNotFound() {
    var r = server.api().delete("/v1/keys/no-such-key");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("code").asString()).isEqualTo("not_found");
  }
}
