package dev.herald.realtime;

import java.util.List;
import java.util.function.Consumer;

/** The single-node bus: hands messages straight to this process's gateway. */
public final class LocalEventBus implements EventBus {
  private volatile Consumer<BusMessage> listener = m -> {};

  @Override
  public void publish(List<BusMessage> messages) {
    Consumer<BusMessage> l = listener;
    for (BusMessage m : messages) l.accept(m);
  }

  @Override
  public void listen(Consumer<BusMessage> listener) {
    this.listener = listener;
  }

  @Override
  public boolean healthy() {
    return true;
  }

  @Override
  public void close() {}
}
