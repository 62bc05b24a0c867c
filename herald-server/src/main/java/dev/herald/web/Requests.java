package dev.herald.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reading requests: JSON bodies, pagination and cursors, with 4xx answers for anything off. */
public final class Requests {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  private Requests() {}

  /** The body as {@code type}; the content type must be JSON. */
  public static <T> T body(Context ctx, Class<T> type) {
    String contentType = ctx.contentType();
    if (contentType == null
        || !(contentType.startsWith("application/json") || contentType.contains("+json"))) {
      throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }
    return Json.parse(ctx.bodyAsBytes(), type);
  }

  public static int limit(Context ctx) {
    String raw = ctx.queryParam("limit");
    if (raw == null) return DEFAULT_LIMIT;
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= MAX_LIMIT) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiException.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
  }

  /** The decoded {@code ?cursor=}, or empty for the first page. */
  public static Optional<String> cursor(Context ctx) {
    String raw = ctx.queryParam("cursor");
    if (raw == null || raw.isEmpty()) return Optional.empty();
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
      // Cursors Herald issues never hold NUL, which PostgreSQL text cannot compare against.
      if (decoded.startsWith("c:") && decoded.indexOf('\0') < 0) {
        return Optional.of(decoded.substring(2));
      }
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw ApiException.invalid("cursor", "is not a cursor this API returned");
  }

  public static String encodeCursor(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("c:" + position).getBytes(StandardCharsets.UTF_8));
  }

  /** An optional query parameter restricted to {@code allowed} values. */
  public static Optional<String> choice(Context ctx, String name, java.util.Set<String> allowed) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isEmpty()) return Optional.empty();
    if (!allowed.contains(raw)) {
      throw ApiException.invalid(
          name, "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
    }
    return Optional.of(raw);
  }
}
