package dev.herald.queue;

import dev.herald.store.Tx;

/** State changes applied in the same transaction that completes, retries or buries a job. */
@FunctionalInterface
public interface TxAction {
  TxAction NONE = tx -> {};

  void apply(Tx tx) throws Exception;
}
