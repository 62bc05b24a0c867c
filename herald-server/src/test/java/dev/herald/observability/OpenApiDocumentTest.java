package dev.herald.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import dev.herald.web.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsHandlerType;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The served API description matches the running server route for route, so it cannot drift
 * silently: a new route fails this test until /openapi.json describes it.
 */
class OpenApiDocumentTest {
  private static final Set<String> HTTP_METHODS =
      Set.of("get", "post", "put", "delete", "patch", "head", "options", "trace");

  static TestServer server;
  static JsonNode doc;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    ApiClient.Response r = server.anonymous().get("/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    doc = r.json();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyRouteOfTheRunningServerIsDescribedAndNothingElse() throws Exception {
    Set<String> documented = new TreeSet<>();
    for (var path : doc.get("paths").properties()) {
      for (var operation : path.getValue().properties()) {
        if (HTTP_METHODS.contains(operation.getKey()))
          documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }

    assertThat(documented).isEqualTo(registeredRoutes(server.herald()));
  }

  @Test
  void everyOperationHasATagSummaryAndResponsesAndEveryReferenceResolves() {
    Set<String> tags = new TreeSet<>();
    doc.get("tags").forEach(t -> tags.add(t.get("name").asString()));
    for (var path : doc.get("paths").properties()) {
      for (var operation : path.getValue().properties()) {
        String name = operation.getKey() + " " + path.getKey();
        JsonNode op = operation.getValue();
        assertThat(op.path("summary").asString("")).as(name + " summary").isNotBlank();
        assertThat(op.path("tags").size()).as(name + " tags").isEqualTo(1);
        assertThat(tags).as(name + " tag").contains(op.get("tags").get(0).asString());
        assertThat(op.path("responses").size()).as(name + " responses").isPositive();
      }
    }
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as("unresolved " + ref).isFalse();
    }
    for (JsonNode scheme : securityRequirements(doc)) {
      scheme
          .propertyNames()
          .forEach(
              s ->
                  assertThat(doc.at("/components/securitySchemes/" + s).isMissingNode())
                      .as("security scheme " + s)
                      .isFalse());
    }
  }

  @Test
  void problemSchemaListsExactlyTheErrorCatalogue() {
    Set<String> documented = new TreeSet<>();
    doc.at("/components/schemas/Problem/properties/code/enum")
        .forEach(c -> documented.add(c.asString()));

    Set<String> catalogue = new TreeSet<>();
    Arrays.stream(ErrorCode.values()).forEach(c -> catalogue.add(c.code()));
    assertThat(documented).isEqualTo(catalogue);
  }

  @Test
  void docsPageIsServedAndReadsTheDocument() {
    ApiClient.Response page = server.anonymous().get("/docs");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("fetch('/openapi.json')").doesNotContain("https://");
  }

  /**
   * Routes as the running Javalin knows them. The CORS preflight on {@code /v1/*} is a wildcard for
   * every client-side route, described in the document's introduction rather than as a path.
   */
  private static Set<String> registeredRoutes(Herald herald) throws ReflectiveOperationException {
    Javalin app = null;
    for (Field f : Herald.class.getDeclaredFields()) {
      if (f.getType() == Javalin.class) {
        f.setAccessible(true);
        app = (Javalin) f.get(herald);
      }
    }
    assertThat(app).as("Herald keeps its Javalin in a field").isNotNull();
    Set<String> routes = new TreeSet<>();
    for (var parsed : app.unsafe.internalRouter.allHttpHandlers()) {
      HandlerType method = parsed.endpoint.method;
      if (!method.isHttpMethod()) continue;
      if (method == HandlerType.OPTIONS && parsed.endpoint.path.endsWith("*")) continue;
      routes.add(method.name() + " " + parsed.endpoint.path);
    }
    for (var ws : app.unsafe.internalRouter.allWsHandlers()) {
      if (ws.getType() == WsHandlerType.WEBSOCKET) routes.add("GET " + ws.getPath());
    }
    return routes;
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      for (var e : node.properties()) {
        if (e.getKey().equals("$ref")) out.add(e.getValue().asString());
        else collectRefs(e.getValue(), out);
      }
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }

  private static List<JsonNode> securityRequirements(JsonNode doc) {
    List<JsonNode> out = new ArrayList<>();
    for (var path : doc.get("paths").properties()) {
      for (var operation : path.getValue().properties()) {
        operation.getValue().path("security").forEach(out::add);
      }
    }
    return out;
  }
}
