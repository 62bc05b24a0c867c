package dev.herald.testkit.expo;

/** The {@code details.error} values Expo puts in an error ticket or receipt. */
public enum ExpoError {
  /** The device can no longer receive pushes: stop sending to the token. */
  DEVICE_NOT_REGISTERED("DeviceNotRegistered", "is not a registered push notification recipient"),
  /** The payload exceeded 4096 bytes. */
  MESSAGE_TOO_BIG("MessageTooBig", "Message too big: the payload exceeds 4096 bytes"),
  /** Too many messages to this device. */
  MESSAGE_RATE_EXCEEDED("MessageRateExceeded", "Message rate exceeded for this device"),
  /** The project's push credentials are invalid or revoked. */
  INVALID_CREDENTIALS("InvalidCredentials", "The push notification credentials are invalid"),
  /** The project's FCM credentials don't match the app's sender id. */
  MISMATCH_SENDER_ID("MismatchSenderId", "The FCM sender id does not match");

  /** Expo's spelling, e.g. {@code DeviceNotRegistered}. */
  public final String code;

  final String message;

  ExpoError(String code, String message) {
    this.code = code;
    this.message = message;
  }
}
