package dev.herald.digest;

import dev.herald.testing.TestDatabase;

class SqliteDigestTest extends DigestContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
