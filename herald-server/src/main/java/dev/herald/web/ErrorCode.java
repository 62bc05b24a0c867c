package dev.herald.web;

/**
 * The one catalogue of error codes clients may rely on. Codes are stable; each maps to exactly one
 * HTTP status, and docs/api.md describes them.
 */
public enum ErrorCode {
  INVALID_REQUEST(400, "The request is invalid"),
  UNAUTHORIZED(401, "Authentication is required"),
  FORBIDDEN(403, "This key may not do that"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  CONFLICT(409, "Conflict"),
  PAYLOAD_TOO_LARGE(413, "The request body is too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  RATE_LIMITED(429, "Too many requests"),
  INTERNAL(500, "Internal error"),
  UNAVAILABLE(503, "Service unavailable");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String code() {
    return name().toLowerCase();
  }
}
