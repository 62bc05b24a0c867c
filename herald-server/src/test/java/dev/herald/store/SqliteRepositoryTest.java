package dev.herald.store;

import dev.herald.testing.TestDatabase;

class SqliteRepositoryTest extends RepositoryContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
