package dev.herald.store;

import dev.herald.testing.TestDatabase;

class PostgresRepositoryIT extends RepositoryContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
