package dev.herald.digest;

import dev.herald.testing.TestDatabase;

class PostgresDigestIT extends DigestContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
