package dev.herald.notification;

import dev.herald.testing.TestDatabase;

class PostgresEscalationIT extends EscalationContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
