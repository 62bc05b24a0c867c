package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random bytes, and random JSON built from each route's real fields with plausible and hostile
 * values (now and then of the wrong type), never make Herald answer a 5xx. Seeded: a failure names
 * the seed, the round and the body that broke it.
 */
class FuzzedBodyTest {
  static final int ROUNDS = 120;

  /** Field names per route and per nested object. */
  static final Map<String, List<String>> FIELDS =
      Map.of(
          "/v1/notifications",
          List.of(
              "to",
              "channels",
              "platforms",
              "priority",
              "category",
              "title",
              "body",
              "data",
              "metadata",
              "url",
              "image",
              "vars",
              "send_at",
              "ttl_seconds",
              "collapse_key",
              "dry_run",
              "sync"),
          "/v1/devices",
          List.of("subscriber_id", "provider", "token", "platform", "subscription", "device_info"),
          "/v1/subscribers/x",
          List.of("email", "phone", "locale", "timezone", "attributes"),
          "to",
          List.of("subscribers", "topics", "devices", "tokens", "segment", "all"),
          "tokens",
          List.of("provider", "token"),
          "segment",
          List.of("attributes"),
          "subscription",
          List.of("endpoint", "keys", "expiration_time"),
          "keys",
          List.of("p256dh", "auth"));

  /** Fields most bodies carry, so that some get through validation. */
  static final Map<String, List<String>> USUAL =
      Map.of(
          "/v1/notifications", List.of("to", "title"),
          "/v1/devices", List.of("token"),
          "to", List.of("subscribers"));

  static final List<String> HOSTILE =
      List.of(
          "",
          " ",
          "\u0000",
          "\ud83d\ude00",
          "a".repeat(5000),
          "' OR 1=1 --",
          "../../etc/passwd",
          "%00",
          "<script>",
          "\\",
          "null",
          "\ud800");

  static final Map<String, List<String>> STRINGS = new TreeMap<>();

  static {
    STRINGS.put("channels", List.of("in_app", "push", "email", "sms", "fax"));
    STRINGS.put("platforms", List.of("ios", "android", "web", "macos", "other", "tv"));
    STRINGS.put(
        "priority",
        List.of("critical", "important", "bulk", "urgent", "high", "normal", "low", "meh"));
    STRINGS.put("provider", List.of("apns", "fcm", "expo", "webpush", "carrier-pigeon"));
    STRINGS.put("platform", List.of("ios", "android", "web", "tv"));
    STRINGS.put(
        "token",
        List.of(
            "ab".repeat(32),
            "ab".repeat(31),
            "ExponentPushToken[fuzzfuzz1]",
            "ExponentPushToken[]",
            "fcm_token_abcdefghijklmnopqrstuvwxyz:APA91b",
            "zz"));
    STRINGS.put(
        "endpoint",
        List.of(
            "https://push.example.com/sub/1",
            "http://push.example.com/sub/1",
            "https://",
            "ftp://x",
            "https://[::1]:0/",
            "javascript:alert(1)"));
    STRINGS.put(
        "p256dh",
        List.of(
            "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
            "AAAA",
            "!!!"));
    STRINGS.put("auth", List.of("tBHItJI5svbpez7KI4CCXg", "AAAA", "!!!"));
    STRINGS.put("email", List.of("a@example.com", "not-an-email", "@", "a@b"));
    STRINGS.put("phone", List.of("+14155550100", "0170123", "+0"));
    STRINGS.put("locale", List.of("en", "de-AT", "x", "zh-Hant-TW"));
    STRINGS.put("timezone", List.of("Europe/Berlin", "UTC", "Mars/Base", "+01:00"));
    STRINGS.put(
        "send_at",
        List.of(
            "2030-01-01T00:00:00Z", "2001-01-01T00:00:00Z", "tomorrow", "2030-13-45T99:00:00Z"));
    STRINGS.put("subscribers", List.of("known", "fuzz-1", "fuzz-2", "bad id", "a".repeat(300)));
    STRINGS.put("subscriber_id", List.of("known", "fuzz-1", "bad id"));
    STRINGS.put("topics", List.of("family:42", "fuzz-topic", "bad topic"));
    STRINGS.put("devices", List.of("01JUNKDEVICEID", "nope"));
    STRINGS.put("url", List.of("https://example.com/x", "not a url", "javascript:alert(1)"));
    STRINGS.put("image", List.of("https://example.com/i.png", "x"));
  }

  static final List<String> LISTS =
      List.of("channels", "platforms", "subscribers", "topics", "devices");
  static final List<String> MAPS = List.of("data", "metadata", "vars", "attributes", "device_info");
  static final List<String> NUMBERS = List.of("ttl_seconds", "expiration_time");
  static final List<String> BOOLEANS = List.of("dry_run", "sync", "all");
  static final List<Object> ANY =
      List.of("x", 0, -1, Long.MAX_VALUE, 1.5, 1e308, true, false, List.of(), Map.of());

  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api();
    api.put("/v1/subscribers/known", Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"POST /v1/notifications", "POST /v1/devices", "PUT /v1/subscribers/x"})
  void randomBytesNeverCauseAServerError(String route) {
    String[] mr = route.split(" ");
    long seed = route.hashCode();
    Random random = new Random(seed);
    for (int i = 0; i < ROUNDS; i++) {
      byte[] body = new byte[random.nextInt(300)];
      random.nextBytes(body);
      if (random.nextBoolean() && body.length > 0) body[0] = '{';
      var r = api.send(mr[0], mr[1], body, "application/json");
      assertThat(r.status()).as("seed %d round %d: %s", seed, i, r).isLessThan(500);
      if (r.status() >= 400) BadInputTest.assertProblem(r);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"POST /v1/notifications", "POST /v1/devices", "PUT /v1/subscribers/x"})
  void randomJsonShapesNeverCauseAServerError(String route) {
    String[] mr = route.split(" ");
    long seed = 31L * route.hashCode() + 7;
    Random random = new Random(seed);
    int succeeded = 0;
    for (int i = 0; i < ROUNDS; i++) {
      String json = Json.write(object(random, mr[1], 0));
      var r = api.send(mr[0], mr[1], json, "application/json");
      assertThat(r.status()).as("seed %d round %d body %s: %s", seed, i, json, r).isLessThan(500);
      if (r.status() >= 400) BadInputTest.assertProblem(r);
      else succeeded++;
    }
    // The shapes reach past validation too, not only into the parser's refusals.
    assertThat(succeeded).isPositive();
  }

  private static Map<String, Object> object(Random random, String parent, int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> fields = FIELDS.getOrDefault(parent, List.of("k0", "k1", "k2"));
    for (String usual : USUAL.getOrDefault(parent, List.of())) {
      if (random.nextInt(5) > 0) m.put(usual, value(random, usual, depth + 1));
    }
    int n = random.nextInt(Math.min(fields.size(), 4));
    for (int i = 0; i < n; i++) {
      // Now and then a field that does not exist.
      String key =
          random.nextInt(30) == 0
              ? "k" + random.nextInt(3)
              : fields.get(random.nextInt(fields.size()));
      m.put(key, value(random, key, depth + 1));
    }
    return m;
  }

  private static Object value(Random random, String key, int depth) {
    if (random.nextInt(20) == 0) return random.nextBoolean() ? null : pick(random, ANY);
    if (key.equals("tokens")) {
      List<Object> tokens = new ArrayList<>();
      for (int i = random.nextInt(3); i >= 0; i--) tokens.add(object(random, key, depth));
      return tokens;
    }
    if (FIELDS.containsKey(key)) return object(random, key, depth);
    if (LISTS.contains(key)) {
      List<Object> list = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) list.add(string(random, key));
      return list;
    }
    if (MAPS.contains(key)) {
      return depth > 4 ? Map.of() : object(random, "", depth);
    }
    if (NUMBERS.contains(key)) {
      return pick(random, List.of(0, 1, 60, 86400, -5, 2_419_200, Long.MAX_VALUE, 1.5));
    }
    if (BOOLEANS.contains(key)) return random.nextInt(5) > 0 ? random.nextBoolean() : "yes";
    return string(random, key);
  }

  private static String string(Random random, String key) {
    List<String> plausible = STRINGS.get(key);
    if (plausible == null || random.nextInt(8) == 0) return pick(random, HOSTILE);
    return pick(random, plausible);
  }

  private static <T> T pick(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
