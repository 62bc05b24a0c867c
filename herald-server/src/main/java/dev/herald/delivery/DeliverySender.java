package dev.herald.delivery;

import java.util.List;

/**
 * The channel SPI: sends a batch of messages through one provider and answers one outcome per
 * message, in order. Called from many worker threads at once. An exception means the whole batch
 * should be retried.
 */
public interface DeliverySender {
  /** Most messages per call, e.g. 100 for Expo. */
  default int batchSize() {
    return 100;
  }

  List<SendOutcome> send(List<Message> batch) throws Exception;

  /**
   * For providers that report outcomes later (Expo), how to ask; checked after the receipt delay.
   */
  default java.util.Optional<ReceiptChecker> receipts() {
    return java.util.Optional.empty();
  }
}
