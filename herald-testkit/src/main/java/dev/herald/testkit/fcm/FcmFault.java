package dev.herald.testkit.fcm;

/**
 * An error the mock answers for a device token instead of accepting the message, shaped as FCM HTTP
 * v1 answers it: HTTP status, {@code error.status} and the {@code FcmError.errorCode} in {@code
 * error.details}.
 */
public enum FcmFault {
  /** The app was uninstalled or the token expired: 404 NOT_FOUND. */
  UNREGISTERED(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found."),
  /** The token belongs to another Firebase project: 403 PERMISSION_DENIED. */
  SENDER_ID_MISMATCH(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch"),
  /** Something in the message is malformed: 400 INVALID_ARGUMENT. */
  INVALID_ARGUMENT(
      400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Request contains an invalid argument."),
  /**
   * The token itself is malformed: 400 INVALID_ARGUMENT with a {@code google.rpc.BadRequest} field
   * violation on {@code message.token}.
   */
  INVALID_TOKEN(
      400,
      "INVALID_ARGUMENT",
      "INVALID_ARGUMENT",
      "The registration token is not a valid FCM registration token"),
  /** Sending rate exceeded: 429 RESOURCE_EXHAUSTED with {@code Retry-After}. */
  QUOTA_EXCEEDED(
      429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded for quota metric 'messages'."),
  /** FCM is overloaded: 503 UNAVAILABLE. */
  UNAVAILABLE(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."),
  /** FCM failed internally: 500 INTERNAL. */
  INTERNAL(500, "INTERNAL", "INTERNAL", "Internal error encountered."),
  /** The project's APNs key or Web Push credentials are missing or invalid: 401 UNAUTHENTICATED. */
  THIRD_PARTY_AUTH_ERROR(
      401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", "Auth error from APNS or Web Push Service");

  final int httpStatus;
  final String status;
  final String errorCode;
  final String message;

  FcmFault(int httpStatus, String status, String errorCode, String message) {
    this.httpStatus = httpStatus;
    this.status = status;
    this.errorCode = errorCode;
    this.message = message;
  }
}
