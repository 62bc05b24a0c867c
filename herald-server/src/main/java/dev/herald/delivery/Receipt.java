package dev.herald.delivery;

/** What a provider reports later about a message it accepted (Expo's push receipts). */
public sealed interface Receipt {
  /** It reached the device's platform service. */
  record Delivered() implements Receipt {}

  /** The device is gone: deactivate it. */
  record TokenInvalid(String reason) implements Receipt {}

  /** It failed for another reason. */
  record Failed(String reason) implements Receipt {}
}
