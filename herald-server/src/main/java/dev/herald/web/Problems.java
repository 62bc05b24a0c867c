package dev.herald.web;

import dev.herald.web.ApiException.FieldError;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Writes RFC 9457 problem details; the only place errors become HTTP responses. */
public final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  public static void write(Context ctx, ApiException e) {
    e.headers().forEach(ctx::header);
    write(ctx, e.code(), e.getMessage(), e.errors());
  }

  public static void write(Context ctx, ErrorCode code, String detail, List<FieldError> errors) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "/docs/errors#" + code.code());
    body.put("title", code.title());
    body.put("status", code.status());
    body.put("code", code.code());
    body.put("detail", detail);
    if (!errors.isEmpty()) body.put("errors", errors);
    body.put("instance", ctx.path());
    String requestId = MDC.get("request_id");
    if (requestId != null) body.put("request_id", requestId);
    ctx.status(code.status());
    ctx.contentType(CONTENT_TYPE);
    // As bytes: a String result would be encoded as ISO-8859-1 for this content type, mangling
    // any non-ASCII text (a field name, a value echoed in the detail) that JSON sends as UTF-8.
    ctx.result(Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  /** Javalin's own refusals (unknown route, wrong method, body too large) in our shape. */
  public static void write(Context ctx, HttpResponseException e) {
    ErrorCode code =
        switch (e.getStatus()) {
          case 404 -> ErrorCode.NOT_FOUND;
          case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
          case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
          case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
          case 401 -> ErrorCode.UNAUTHORIZED;
          case 403 -> ErrorCode.FORBIDDEN;
          case 429 -> ErrorCode.RATE_LIMITED;
          case 503 -> ErrorCode.UNAVAILABLE;
          default -> e.getStatus() < 500 ? ErrorCode.INVALID_REQUEST : ErrorCode.INTERNAL;
        };
    String detail =
        switch (code) {
          case NOT_FOUND -> "No route for " + ctx.method() + " " + ctx.path();
          case METHOD_NOT_ALLOWED -> ctx.method() + " is not allowed on " + ctx.path();
          default -> e.getMessage();
        };
    write(ctx, code, detail, List.of());
  }

  public static void unexpected(Context ctx, Exception e) {
    log.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
    write(ctx, ErrorCode.INTERNAL, "An unexpected error occurred; it has been logged", List.of());
  }
}
