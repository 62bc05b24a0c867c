package dev.herald.observability;

import dev.herald.web.ErrorCode;
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
  private final byte[] errors = errorCatalogue();

  /** The page every problem's {@code type} points at: one anchor per code. */
  private static byte[] errorCatalogue() {
    StringBuilder html =
        new StringBuilder(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Herald error codes</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto}"
                + "td,th{padding:.3rem .8rem;text-align:left;border-bottom:1px solid #ddd}</style></head><body>"
                + "<h1>Error codes</h1><p>Errors are RFC 9457 problem details; <code>code</code> is one of these.</p>"
                + "<table><tr><th>code</th><th>status</th><th>meaning</th></tr>");
    for (ErrorCode c : ErrorCode.values()) {
      html.append("<tr id=\"")
          .append(c.code())
          .append("\"><td><code>")
          .append(c.code())
          .append("</code></td><td>")
          .append(c.status())
          .append("</td><td>")
          .append(c.title())
          .append("</td></tr>");
    }
    return html.append("</table></body></html>")
        .toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/openapi.json", ctx -> send(ctx, "application/json", openapi));
    r.get("/docs", ctx -> send(ctx, "text/html; charset=utf-8", page));
    r.get("/docs/errors", ctx -> send(ctx, "text/html; charset=utf-8", errors));
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
