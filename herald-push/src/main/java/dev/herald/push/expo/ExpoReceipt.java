package dev.herald.push.expo;

/**
 * What a push receipt says happened after Expo took a message: it reached APNs or FCM, the device
 * is gone, or delivery failed for another reason. A ticket id with no receipt yet has no
 * ExpoReceipt at all.
 */
public sealed interface ExpoReceipt {
  /** APNs or FCM took the message ({@code "status": "ok"}). */
  record Delivered() implements ExpoReceipt {}

  /** {@code DeviceNotRegistered}: deactivate the token. */
  record TokenInvalid(String reason) implements ExpoReceipt {}

  /**
   * Any other error, e.g. {@code MessageTooBig}, {@code InvalidCredentials} (see {@link
   * ExpoTickets#isAuthError}) or {@code MessageRateExceeded}; {@code reason} starts with Expo's
   * code.
   */
  record Failed(String reason) implements ExpoReceipt {}
}
