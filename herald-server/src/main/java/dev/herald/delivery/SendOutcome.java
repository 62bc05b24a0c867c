package dev.herald.delivery;

import java.time.Duration;

/** What a provider said about one message. The caller switches on it; there is no other case. */
public sealed interface SendOutcome {
  /** Taken by the provider; {@code providerMessageId} may be null. */
  record Accepted(String providerMessageId) implements SendOutcome {}

  /** Refused for good: never retried. {@code tokenInvalid} deactivates the device. */
  record Rejected(String reason, boolean tokenInvalid) implements SendOutcome {}

  /** Failed for now; try again after the backoff, or {@code after} when the provider asked. */
  record Retry(String reason, Duration after) implements SendOutcome {}

  /**
   * The app's provider credentials were refused (e.g. an APNs key that is revoked): nothing is
   * wrong with the recipient, so no token is deactivated; the batch goes to the dead-letter queue
   * with the reason, to be re-driven once the credentials are fixed.
   */
  record Misconfigured(String reason) implements SendOutcome {}
}
