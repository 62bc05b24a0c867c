package dev.herald.realtime;

import java.util.List;
import java.util.function.Consumer;

/**
 * Carries committed inbox events to every node's gateway, this node included. Messages are
 * published only after their transaction commits; a bus may lose or reorder them (a node restarts,
 * a connection drops), so gateways treat each message as "this subscriber has events up to {@code
 * seq}" and read any gap from storage.
 */
public interface EventBus extends AutoCloseable {
  /** Sends the messages to every node's listener. Never blocks on a slow consumer. */
  void publish(List<BusMessage> messages);

  /** Sets the one listener of this node; called on the bus's own thread. */
  void listen(Consumer<BusMessage> listener);

  /** Whether the bus is connected (for /health). */
  boolean healthy();

  @Override
  void close();
}
