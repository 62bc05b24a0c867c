package dev.herald.preference;

import dev.herald.testing.TestDatabase;

class SqlitePreferenceEnforcementTest extends PreferenceEnforcementContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
