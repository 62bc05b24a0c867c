package dev.herald.preference;

import dev.herald.testing.TestDatabase;

class SqliteUnsubscribeMigrationTest extends UnsubscribeMigrationContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
