package dev.herald.sdk;

import dev.herald.web.ApiException;
import dev.herald.web.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /sdk/{file}}: the browser SDK as plain ES modules, its service worker and a demo page.
 *
 * <p>Only the files named here are served, read once at start: a name that is not one of them is a
 * 404 problem, so there is no directory listing and no path to traverse. Answers carry an ETag (304
 * on {@code If-None-Match}) and a short max-age, so an upgraded Herald reaches browsers within
 * minutes. Cross-origin pages may import the modules when their origin is in {@code
 * HERALD_CORS_ORIGINS} (the {@code Cors} filter adds the header).
 */
public final class SdkRoutes implements Routes {
  static final List<String> FILES =
      List.of(
          "herald.js",
          "herald-live.js",
          "herald-inbox.js",
          "herald-inbox-style.js",
          "herald-push.js",
          "herald-sw.js",
          "demo.html");
  // Short enough that a new release is picked up soon, long enough to spare repeat downloads.
  private static final String CACHE_CONTROL = "public, max-age=300";

  private final Map<String, Asset> assets =
      FILES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), SdkRoutes::load));

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/sdk/{file}", this::serve);
  }

  private void serve(Context ctx) {
    Asset asset = assets.get(ctx.pathParam("file"));
    if (asset == null) throw ApiException.notFound("SDK file " + ctx.pathParam("file"));
    ctx.header("Cache-Control", CACHE_CONTROL);
    ctx.header("ETag", asset.etag());
    ctx.header("X-Content-Type-Options", "nosniff");
    // The worker may control a whole origin, not only /sdk/.
    if (asset.name().equals("herald-sw.js")) ctx.header("Service-Worker-Allowed", "/");
    if (asset.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  private static Asset load(String name) {
    try (InputStream in = SdkRoutes.class.getResourceAsStream("/sdk/" + name)) {
      if (in == null) throw new IllegalStateException("missing resource /sdk/" + name);
      byte[] bytes = in.readAllBytes();
      String type =
          name.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8";
      return new Asset(name, bytes, type, etag(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Asset(String name, byte[] bytes, String contentType, String etag) {}
}
