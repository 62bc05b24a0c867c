package dev.herald.store;

/**
 * The few places where SQLite and PostgreSQL SQL differ. Everything else is written once in
 * portable SQL.
 */
public enum Dialect {
  SQLITE,
  POSTGRES;

  /** Row-locking suffix for a claim subquery: PostgreSQL skips rows other workers hold. */
  public String skipLocked() {
    return this == POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
  }

  /** An expression reading one top-level attribute of a subscriber's JSON attributes as text. */
  public String attribute(String column, String bindName) {
    return this == POSTGRES
        ? "(" + column + "::jsonb ->> :" + bindName + ")"
        : "json_extract(" + column + ", '$.\"' || :" + bindName + " || '\"')";
  }

  /** Migration scripts for this database. */
  public String migrations() {
    return this == POSTGRES ? "classpath:db/postgres" : "classpath:db/sqlite";
  }
}
