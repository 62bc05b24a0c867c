package dev.herald.template;

import dev.herald.testing.TestDatabase;

class PostgresTemplateApiIT extends TemplateApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
