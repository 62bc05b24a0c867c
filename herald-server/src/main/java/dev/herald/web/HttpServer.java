package dev.herald.web;

import dev.herald.config.HeraldConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.slf4j.MDC;

/** Assembles the HTTP server: JSON, errors, request ids, limits, and every feature's routes. */
public final class HttpServer {
  private static final String STARTED = "herald.started";

  private HttpServer() {}

  /**
   * @param onRequest called after every request with its context and duration in nanoseconds (for
   *     metrics)
   */
  public static Javalin create(
      HeraldConfig config, List<Routes> features, BiConsumer<Context, Long> onRequest) {
    return Javalin.create(
        c -> {
          c.startup.showJavalinBanner = false;
          c.startup.showOldJavalinVersionWarning = false;
          c.concurrency.useVirtualThreads = true;
          c.http.maxRequestSize = config.maxBodyBytes();
          c.http.generateEtags = false;
          c.jsonMapper(new JacksonJsonMapper());
          c.jetty.host = config.host();
          c.jetty.port = config.port();
          c.router.ignoreTrailingSlashes = true;
          c.routes.before(HttpServer::begin);
          c.routes.after(ctx -> finish(ctx, onRequest));
          c.routes.exception(ApiException.class, (e, ctx) -> Problems.write(ctx, e));
          c.routes.exception(HttpResponseException.class, (e, ctx) -> Problems.write(ctx, e));
          c.routes.exception(Exception.class, (e, ctx) -> Problems.unexpected(ctx, e));
          for (Routes feature : features) {
            feature.register(c.routes);
          }
        });
  }

  private static void begin(Context ctx) {
    String id = ctx.header("X-Request-Id");
    if (id == null || id.isBlank() || id.length() > 128) id = UUID.randomUUID().toString();
    MDC.put("request_id", id);
    ctx.header("X-Request-Id", id);
    ctx.attribute(STARTED, System.nanoTime());
    // PostgreSQL text cannot hold U+0000, so no id or filter may contain it, on any database.
    String query = ctx.queryString();
    if (ctx.path().contains("%00") || (query != null && query.contains("%00"))) {
      throw ApiException.invalid("url", "may not contain the NUL character (%00)");
    }
  }

  private static void finish(Context ctx, BiConsumer<Context, Long> onRequest) {
    Long started = ctx.attribute(STARTED);
    if (started != null) onRequest.accept(ctx, System.nanoTime() - started);
    MDC.remove("request_id");
  }
}
