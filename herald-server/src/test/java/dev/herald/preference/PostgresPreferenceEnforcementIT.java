package dev.herald.preference;

import dev.herald.testing.TestDatabase;

class PostgresPreferenceEnforcementIT extends PreferenceEnforcementContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
