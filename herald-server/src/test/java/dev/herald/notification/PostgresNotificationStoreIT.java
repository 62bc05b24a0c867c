package dev.herald.notification;

import dev.herald.testing.TestDatabase;

class PostgresNotificationStoreIT extends NotificationStoreContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
