package dev.herald.email;

import dev.herald.store.Tx;

/** Where an unsubscribe is recorded: the subscriber's preferences. */
@FunctionalInterface
public interface OptOuts {
  /**
   * Turns {@code channel} off for {@code category} for one subscriber, in {@code tx}; a null
   * category turns the channel off for every category.
   */
  void optOut(Tx tx, String appId, String subscriberId, String category, String channel);
}
