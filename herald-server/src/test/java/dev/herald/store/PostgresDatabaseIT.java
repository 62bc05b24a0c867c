package dev.herald.store;

import dev.herald.testing.TestDatabase;

class PostgresDatabaseIT extends DatabaseContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
