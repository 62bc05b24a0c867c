package dev.herald.web;

import java.util.List;
import java.util.Map;

/**
 * A request that Herald refuses, with the catalogue code and, for validation, each bad field.
 * Thrown anywhere below a route and turned into problem+json in one place ({@link Problems}).
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final List<FieldError> errors;
  private final Map<String, String> headers;

  public ApiException(ErrorCode code, String detail) {
    this(code, detail, List.of(), Map.of());
  }

  public ApiException(
      ErrorCode code, String detail, List<FieldError> errors, Map<String, String> headers) {
    super(detail, null, false, false);
    this.code = code;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  public static ApiException invalid(String field, String message) {
    return new ApiException(
        ErrorCode.INVALID_REQUEST,
        field + ": " + message,
        List.of(new FieldError(field, message)),
        Map.of());
  }

  public static ApiException invalid(List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.getFirst().field() + ": " + errors.getFirst().message()
            : errors.size() + " fields are invalid";
    return new ApiException(ErrorCode.INVALID_REQUEST, detail, errors, Map.of());
  }

  public static ApiException notFound(String what) {
    return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
  }

  public ErrorCode code() {
    return code;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** One invalid field: a dotted path such as {@code to.tokens[0].token}, and what is wrong. */
  public record FieldError(String field, String message) {}
}
