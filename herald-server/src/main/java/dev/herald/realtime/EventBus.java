package dev.herald.realtime;

import java.util.List;

/**
 * Carries committed inbox events to every node's gateway, this node included. Messages are
 * published only after their transaction commits; a bus may lose or reorder them (a node restarts,
 * a connection drops), so gateways treat each message as "this subscriber has events up to {@code
 * seq}" and read any gap from storage.
 */
public interface EventBus extends AutoCloseable {
  /** Sends the messages to every node's listener. Never blocks on a slow consumer. */
  void publish(List<BusMessage> messages);

  /** Sets the one listener of this node. */
  void listen(Listener listener);

  /** Whether the bus is connected (for /health). */
  boolean healthy();

  @Override
  void close();

  /** Receives messages on the bus's own thread: must not block. */
  interface Listener {
    void message(BusMessage message);

    /**
     * The bus was disconnected and is connected again: messages may have been lost meanwhile, so
     * the gateway re-reads the latest seq of every connected subscriber.
     */
    default void reconnected() {}
  }
}
