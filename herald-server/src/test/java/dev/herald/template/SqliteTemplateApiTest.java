package dev.herald.template;

import dev.herald.testing.TestDatabase;

class SqliteTemplateApiTest extends TemplateApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
