package dev.herald.template;

import static dev.herald.template.TemplateApiContract.assertProblem;
import static dev.herald.template.TemplateApiContract.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/templates/{key}/preview}: locale fallback, escaping, variables and digests. */
class TemplatePreviewTest {
  static final String GREETING =
      """
      {"default_locale": "en",
       "locales": {
         "en": {"title": "Hi {{name}}", "body": "{{name}} & co <3", "url": "https://example.com/?q={{query}}",
                "data": {"who": "{{name}}", "n": 7, "nested": ["{{query}}"]},
                "email": {"subject": "Hi {{name}}", "html": "<p>Hi {{name}} & {{{raw}}}</p>", "text": "Hi {{name}} & co"},
                "sms": {"text": "Hi {{name}} & co"}},
         "de": {"title": "Hallo {{name}}", "body": "{{name}} & Co",
                "email": {"subject": "Hallo {{name}}", "html": "<p>Hallo {{name}}</p>"}},
         "de-CH": {"title": "Grüezi {{name}}"}},
       "digest": {
         "en": {"title": "{{count}} updates for {{subscriber.id}}",
                "body": "{{#items}}* {{title}} ({{name}})\\n{{/items}}"},
         "de": {"title": "{{count}} Neuigkeiten"}}}
      """;

  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api();
    assertThat(api.put("/v1/templates/greeting", GREETING).status()).isEqualTo(201);
    assertThat(api.put("/v1/templates/no-digest", TemplateApiContract.simple("Plain")).status())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void localeFallsBackFromRegionToLanguageToTheDefault() {
    Map<String, Object> vars = Map.of("name", "Ada", "query", "x", "raw", "");
    JsonNode austria = preview(Map.of("locale", "de-AT", "vars", vars));
    assertThat(austria.get("locale").asString()).isEqualTo("de");
    assertThat(austria.get("title").asString()).isEqualTo("Hallo Ada");

    JsonNode swiss = preview(Map.of("locale", "de-CH", "vars", vars));
    assertThat(swiss.get("locale").asString()).isEqualTo("de-CH");
    assertThat(swiss.get("title").asString()).isEqualTo("Grüezi Ada");
    assertThat(swiss.get("body").isNull()).as("a variant is used whole").isTrue();

    JsonNode french = preview(Map.of("locale", "fr-FR", "vars", vars));
    assertThat(french.get("locale").asString()).isEqualTo("en");
    assertThat(french.get("title").asString()).isEqualTo("Hi Ada");

    JsonNode none = preview(Map.of("vars", vars));
    assertThat(none.get("locale").asString()).isEqualTo("en");
    assertThat(none.get("key").asString()).isEqualTo("greeting");
    assertThat(none.get("version").asInt()).isEqualTo(1);

    assertProblem(
        api.post("/v1/templates/greeting/preview", Map.of("locale", "de_AT!")), 400, "locale");
  }

  @Test
  void onlyEmailHtmlIsHtmlEscaped() {
    JsonNode p =
        preview(
            Map.of(
                "vars",
                Map.of("name", "<b>Tom</b> & \"Jerry\"", "query", "a&b", "raw", "<i>ok</i>")));
    assertThat(p.get("title").asString()).isEqualTo("Hi <b>Tom</b> & \"Jerry\"");
    assertThat(p.get("body").asString()).isEqualTo("<b>Tom</b> & \"Jerry\" & co <3");
    assertThat(p.get("url").asString()).isEqualTo("https://example.com/?q=a&b");
    assertThat(p.at("/data/who").asString()).isEqualTo("<b>Tom</b> & \"Jerry\"");
    assertThat(p.at("/data/n").asInt()).isEqualTo(7);
    assertThat(p.at("/data/nested/0").asString()).isEqualTo("a&b");
    assertThat(p.at("/email/subject").asString()).isEqualTo("Hi <b>Tom</b> & \"Jerry\"");
    assertThat(p.at("/email/text").asString()).isEqualTo("Hi <b>Tom</b> & \"Jerry\" & co");
    assertThat(p.at("/sms/text").asString()).isEqualTo("Hi <b>Tom</b> & \"Jerry\" & co");
    assertThat(p.at("/email/html").asString())
        .isEqualTo("<p>Hi &lt;b&gt;Tom&lt;/b&gt; &amp; &quot;Jerry&quot; & <i>ok</i></p>");
  }

  @Test
  void subscriberFieldsAndLocaleComeFromTheProfileAndMissingVarsAreListed() {
    assertThat(
            api.put(
                    "/v1/subscribers/preview-anna",
                    Map.of(
                        "email",
                        "anna@example.com",
                        "locale",
                        "de-AT",
                        "attributes",
                        Map.of("role", "HEAD")))
                .status())
        .isEqualTo(201);
    assertThat(
            api.put(
                    "/v1/templates/profiled",
                    """
                    {"default_locale": "en",
                     "locales": {"en": {"title": "For {{subscriber.email}}", "body": "{{greeting}} {{order.id}}"},
                                 "de": {"title": "Für {{subscriber.email}} ({{subscriber.attributes.role}})",
                                        "body": "{{#coupon}}Code {{code}}{{/coupon}}{{missing.too}}"}}}
                    """)
                .status())
        .isEqualTo(201);

    var r =
        api.post(
            "/v1/templates/profiled/preview",
            Map.of("subscriber_id", "preview-anna", "vars", Map.of("order", Map.of("total", 3))));
    JsonNode p = ok(r);
    assertThat(p.get("locale").asString()).isEqualTo("de");
    assertThat(p.get("title").asString()).isEqualTo("Für anna@example.com (HEAD)");
    assertThat(p.get("body").asString()).isEmpty();
    assertThat(p.get("missing_vars").valueStream().map(JsonNode::asString))
        .containsExactly("vars.greeting", "vars.missing.too", "vars.order.id");

    JsonNode english =
        ok(
            api.post(
                "/v1/templates/profiled/preview",
                Map.of("subscriber_id", "preview-anna", "locale", "en")));
    assertThat(english.get("title").asString()).isEqualTo("For anna@example.com");
    JsonNode nobody = ok(api.post("/v1/templates/profiled/preview", ""));
    assertThat(nobody.get("title").asString()).isEqualTo("For ");

    assertProblem(
        api.post("/v1/templates/profiled/preview", Map.of("subscriber_id", "nobody-here")),
        400,
        "subscriber_id");
    assertProblem(
        api.post("/v1/templates/profiled/preview", Map.of("vars", Map.of(), "extra", 1)),
        400,
        "extra");
    assertThat(api.post("/v1/templates/no-such-template/preview", "{}").status()).isEqualTo(404);
  }

  @Test
  void olderVersionsPreviewAsTheyWere() {
    assertThat(api.put("/v1/templates/evolving", TemplateApiContract.simple("First")).status())
        .isEqualTo(201);
    assertThat(api.put("/v1/templates/evolving", TemplateApiContract.simple("Second")).status())
        .isEqualTo(200);
    assertThat(preview("evolving", Map.of()).get("title").asString()).isEqualTo("Second");
    JsonNode first = preview("evolving", Map.of("version", 1));
    assertThat(first.get("title").asString()).isEqualTo("First");
    assertThat(first.get("version").asInt()).isEqualTo(1);
    assertThat(api.post("/v1/templates/evolving/preview", Map.of("version", 9)).status())
        .isEqualTo(404);
  }

  @Test
  void digestsRenderTheirItemsWithTheDigestVariantOrTheBuiltInText() {
    List<Map<String, Object>> items =
        List.of(Map.of("title", "Event approved"), Map.of("title", "New comment", "name", "Bo"));
    JsonNode en = preview(Map.of("locale", "en-GB", "vars", Map.of("name", "Ada"), "items", items));
    assertThat(en.get("locale").asString()).isEqualTo("en");
    assertThat(en.get("title").asString()).isEqualTo("2 updates for ");
    assertThat(en.get("body").asString()).isEqualTo("* Event approved (Ada)\n* New comment (Bo)\n");
    assertThat(en.get("missing_vars")).isEmpty();

    JsonNode de = preview(Map.of("locale", "de-AT", "items", items));
    assertThat(de.get("locale").asString()).isEqualTo("de");
    assertThat(de.get("title").asString()).isEqualTo("2 Neuigkeiten");

    JsonNode plain = preview("no-digest", Map.of("items", items));
    assertThat(plain.get("locale").isNull()).isTrue();
    assertThat(plain.get("title").asString()).isEqualTo("2 new notifications");
    assertThat(plain.get("body").asString()).isEqualTo("- Event approved\n- New comment");
  }

  private static JsonNode preview(Map<String, Object> body) {
    return preview("greeting", body);
  }

  private static JsonNode preview(String key, Map<String, Object> body) {
    return ok(api.post("/v1/templates/" + key + "/preview", body));
  }
}
