package dev.herald.realtime;

import dev.herald.realtime.EventBus.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of a bus that carries {@link BusCodec} payloads: unpacks each and hands its
 * messages to this node's listener, so one failing message never stops the others.
 */
final class Receiver {
  private static final Logger log = LoggerFactory.getLogger(Receiver.class);

  private volatile Listener listener = m -> {};

  void listen(Listener listener) {
    this.listener = listener;
  }

  void payload(String payload) {
    Listener l = listener;
    for (BusMessage m : BusCodec.unpack(payload)) {
      try {
        l.message(m);
      } catch (RuntimeException e) {
        log.error("The bus listener failed on a message; the next ones still go", e);
      }
    }
  }

  void reconnected() {
    try {
      listener.reconnected();
    } catch (RuntimeException e) {
      log.error("The bus listener failed on reconnect", e);
    }
  }
}
