package dev.herald.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs write work from many callers in shared transactions: each writer thread takes every task
 * waiting, runs them in one transaction and commits once. One fsync then acknowledges a whole
 * batch, which is what lets a single SQLite writer accept tens of thousands of requests a second. A
 * task that throws fails alone; the others still commit.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int MAX_BATCH = 512;
  // Deadlocks and serialization failures are retried this often before the task fails.
  private static final int MAX_CONFLICT_RETRIES = 5;

  private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Jdbi jdbi;
  private final Dialect dialect;
  private volatile boolean closed;

  GroupCommitWriter(Jdbi jdbi, Dialect dialect, int writers) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    for (int i = 0; i < writers; i++) {
      Thread t = Thread.ofPlatform().name("herald-writer-" + i).daemon().start(this::loop);
      threads.add(t);
    }
  }

  <T> CompletableFuture<T> submit(TxWork<T> work) {
    Task<T> task = new Task<>(work);
    if (closed) {
      task.future.completeExceptionally(new IllegalStateException("database is closed"));
    } else {
      queue.add(task);
    }
    return task.future;
  }

  private void loop() {
    Handle handle = null;
    List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        Task<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        if (handle == null) handle = jdbi.open();
        runBatch(handle, batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("Write batch failed; reconnecting, the writer keeps running", e);
        batch.forEach(t -> t.future.completeExceptionally(e));
        if (handle != null) {
          closeQuietly(handle);
          handle = null;
        }
      } finally {
        batch.clear();
      }
    }
    if (handle != null) closeQuietly(handle);
  }

  /**
   * Runs the tasks in one transaction. The first try uses no savepoints (they cost two statements a
   * task). When a task throws, the transaction is rolled back, that task alone fails, and the
   * others run again — now each inside a savepoint, so further failures cost nothing more. Tasks
   * only touch the database, so running one twice is safe. A write PostgreSQL aborted to break a
   * lock cycle between writers (or nodes) is not its task's fault and runs again.
   */
  private void runBatch(Handle handle, List<Task<?>> batch) {
    List<Task<?>> remaining = new ArrayList<>(batch);
    boolean isolate = false;
    while (!remaining.isEmpty()) {
      List<Task<?>> done = new ArrayList<>(remaining.size());
      List<Tx> txs = new ArrayList<>(remaining.size());
      List<Object> results = new ArrayList<>(remaining.size());
      List<Task<?>> again = new ArrayList<>();
      Task<?> running = null;
      handle.begin();
      try {
        for (Task<?> task : remaining) {
          running = task;
          Tx tx = new Tx(handle, dialect);
          if (!isolate) {
            results.add(task.work.run(tx));
          } else {
            handle.savepoint("t");
            try {
              results.add(task.work.run(tx));
              handle.releaseSavepoint("t");
            } catch (Throwable e) {
              // Jdbi forgets a savepoint once rolled back to; the database drops it at commit.
              handle.rollbackToSavepoint("t");
              if (isLockConflict(e) && task.conflicts++ < MAX_CONFLICT_RETRIES) again.add(task);
              else task.future.completeExceptionally(e);
              continue;
            }
          }
          done.add(task);
          txs.add(tx);
        }
        running = null;
        handle.commit();
      } catch (Throwable e) {
        rollbackQuietly(handle);
        if (running == null) {
          remaining.forEach(t -> t.future.completeExceptionally(e));
          return;
        }
        if (!(isLockConflict(e) && running.conflicts++ < MAX_CONFLICT_RETRIES)) {
          remaining.remove(running);
          running.future.completeExceptionally(e);
          isolate = true;
        }
        continue;
      }
      for (int i = 0; i < done.size(); i++) {
        for (Runnable action : txs.get(i).afterCommitActions()) {
          try {
            action.run();
          } catch (RuntimeException e) {
            log.warn("After-commit action failed", e);
          }
        }
        complete(done.get(i), results.get(i));
      }
      remaining = again;
    }
  }

  private static boolean isLockConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> task, Object result) {
    task.future.complete((T) result);
  }

  private static void rollbackQuietly(Handle handle) {
    try {
      handle.rollback();
    } catch (RuntimeException e) {
      log.warn("Rollback failed", e);
    }
  }

  private static void closeQuietly(Handle handle) {
    try {
      handle.close();
    } catch (RuntimeException e) {
      log.debug("Closing writer connection failed", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class Task<T> {
    final TxWork<T> work;
    final CompletableFuture<T> future = new CompletableFuture<>();
    int conflicts;

    Task(TxWork<T> work) {
      this.work = work;
    }
  }
}
