package dev.herald.notification;

import dev.herald.testing.TestDatabase;

class SqliteNotificationStoreTest extends NotificationStoreContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
