package dev.herald.preference;

import dev.herald.testing.TestDatabase;

class PostgresUnsubscribeMigrationIT extends UnsubscribeMigrationContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
