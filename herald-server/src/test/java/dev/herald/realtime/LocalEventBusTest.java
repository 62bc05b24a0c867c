package dev.herald.realtime;

class LocalEventBusTest extends EventBusContract {
  @Override
  protected EventBus openNode() {
    return new LocalEventBus();
  }

  @Override
  protected boolean crossesNodes() {
    return false;
  }

  @Override
  protected boolean mayDropBodies() {
    return false;
  }

  @Override
  protected boolean stopServer() {
    return false;
  }

  @Override
  protected void startServer() {}
}
