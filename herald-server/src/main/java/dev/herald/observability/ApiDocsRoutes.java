package dev.herald.observability;

import dev.herald.web.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code /openapi.json}, the API described, and {@code /docs}, a page that browses it. */
public final class ApiDocsRoutes implements Routes {
  private final byte[] openapi = resource("/api/openapi.json");
  private final byte[] page = resource("/api/docs.html");

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/openapi.json", ctx -> send(ctx, "application/json", openapi));
    r.get("/docs", ctx -> send(ctx, "text/html; charset=utf-8", page));
  }

  private static void send(Context ctx, String type, byte[] body) {
    ctx.contentType(type).result(body);
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiDocsRoutes.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
