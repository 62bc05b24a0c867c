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

  /**
   * A condition: the top-level attribute named by {@code :keyBind} in a JSON column equals one of
   * the values bound as {@code valuesBind}, compared as JSON values so the number 42 never equals
   * the string "42". SQLite binds the values as a list ({@code bindList}), typed as json_extract
   * answers them; PostgreSQL binds one JSON array text.
   */
  public String attributeIn(String column, String keyBind, String valuesBind) {
    return this == POSTGRES
        ? "(%s -> :%s) IN (SELECT jsonb_array_elements(CAST(:%s AS JSONB)))"
            .formatted(column, keyBind, valuesBind)
        : "json_extract(%s, '$.\"' || :%s || '\"') IN (<%s>)"
            .formatted(column, keyBind, valuesBind);
  }

  /** Migration scripts for this database. */
  public String migrations() {
    return this == POSTGRES ? "classpath:db/postgres" : "classpath:db/sqlite";
  }
}
