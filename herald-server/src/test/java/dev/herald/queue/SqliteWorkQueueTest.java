package dev.herald.queue;

import dev.herald.testing.TestDatabase;

class SqliteWorkQueueTest extends WorkQueueContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
