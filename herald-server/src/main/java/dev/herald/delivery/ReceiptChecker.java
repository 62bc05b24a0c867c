package dev.herald.delivery;

import java.util.List;
import java.util.Map;

/**
 * Asks a provider what became of accepted messages, by the ids it gave them. Ids without a receipt
 * yet are absent from the answer.
 */
@FunctionalInterface
public interface ReceiptChecker {
  Map<String, Receipt> receipts(List<String> providerMessageIds) throws Exception;
}
