package dev.herald.inbox;

import dev.herald.store.Tx;
import java.util.List;

/**
 * Told, inside the transaction that marks them read, which notifications a subscriber has just read
 * the items of (one for a read, opened or clicked; any number for read-all), so work that waits on
 * the read can be called off atomically with it.
 */
@FunctionalInterface
public interface ReadListener {
  ReadListener NONE = (tx, appId, subscriberId, notificationIds) -> {};

  void read(Tx tx, String appId, String subscriberId, List<String> notificationIds);
}
