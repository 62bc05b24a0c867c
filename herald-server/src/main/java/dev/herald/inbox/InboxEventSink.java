package dev.herald.inbox;

import java.util.List;

/** Receives inbox events once their transaction has committed (the real-time gateway's bus). */
@FunctionalInterface
public interface InboxEventSink {
  /** Called on the committing thread: must hand the events off and return at once. */
  void committed(List<InboxEvent> events);

  InboxEventSink NONE = events -> {};
}
