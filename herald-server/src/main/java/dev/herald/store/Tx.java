package dev.herald.store;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * One unit of work inside a write transaction. Actions registered with {@link #afterCommit} run
 * only once the transaction is durable, so nothing is announced that could still roll back.
 */
public final class Tx {
  private final Handle handle;
  private final Dialect dialect;
  private final List<Runnable> afterCommit = new ArrayList<>();

  Tx(Handle handle, Dialect dialect) {
    this.handle = handle;
    this.dialect = dialect;
  }

  public Handle handle() {
    return handle;
  }

  public Dialect dialect() {
    return dialect;
  }

  public void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  List<Runnable> afterCommitActions() {
    return afterCommit;
  }
}
