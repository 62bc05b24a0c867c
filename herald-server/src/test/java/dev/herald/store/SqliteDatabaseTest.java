package dev.herald.store;

import dev.herald.testing.TestDatabase;

class SqliteDatabaseTest extends DatabaseContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
