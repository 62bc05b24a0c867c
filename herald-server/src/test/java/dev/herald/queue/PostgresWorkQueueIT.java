package dev.herald.queue;

import dev.herald.testing.TestDatabase;

class PostgresWorkQueueIT extends WorkQueueContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
