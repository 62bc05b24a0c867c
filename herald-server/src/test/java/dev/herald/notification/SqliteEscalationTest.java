package dev.herald.notification;

import dev.herald.testing.TestDatabase;

class SqliteEscalationTest extends EscalationContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
