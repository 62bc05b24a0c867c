package dev.herald.queue;

import dev.herald.store.Database;
import dev.herald.store.Dialect;
import dev.herald.store.Ids;
import dev.herald.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link WorkQueue} in the {@code jobs} table. Claims are one statement for a whole batch: on
 * PostgreSQL with {@code FOR UPDATE SKIP LOCKED} so workers on many nodes never take the same job;
 * on SQLite the single writer serialises claims anyway.
 */
public final class SqlWorkQueue implements WorkQueue {
  private static final String COLUMNS =
      "id, lane, kind, app_id, notification_id, payload, attempts, run_at, created_at";

  private final Database db;
  private final WakeSignal signal;
  private final Clock clock;
  private final String claimSql;

  public SqlWorkQueue(Database db, WakeSignal signal, Clock clock) {
    this.db = db;
    this.signal = signal;
    this.clock = clock;
    this.claimSql =
        "UPDATE jobs SET state = 'active', attempts = attempts + 1, lease_until = :lease"
            + " WHERE id IN (SELECT id FROM jobs WHERE lane = :lane AND state = 'ready' AND run_at <= :now"
            + " ORDER BY run_at, id LIMIT :max"
            + db.dialect().skipLocked()
            + ") RETURNING "
            + COLUMNS;
  }

  @Override
  public void enqueue(Tx tx, List<NewJob> jobs) {
    if (jobs.isEmpty()) return;
    long now = clock.millis();
    PreparedBatch batch =
        tx.handle()
            .prepareBatch(
                "INSERT INTO jobs (lane, kind, app_id, notification_id, payload, state, run_at, attempts, created_at)"
                    + " VALUES (:lane, :kind, :app, :notification, :payload, 'ready', :runAt, 0, :now)");
    EnumMap<Lane, Boolean> lanes = new EnumMap<>(Lane.class);
    for (NewJob j : jobs) {
      batch
          .bind("lane", j.lane().key())
          .bind("kind", j.kind())
          .bind("app", j.appId())
          .bind("notification", j.notificationId())
          .bind("payload", j.payload())
          .bind("runAt", j.runAt())
          .bind("now", now)
          .add();
      lanes.put(j.lane(), true);
    }
    batch.execute();
    for (Lane lane : lanes.keySet()) {
      if (tx.dialect() == Dialect.POSTGRES) {
        tx.handle()
            .createQuery("SELECT pg_notify('herald_jobs', :lane)")
            .bind("lane", lane.key())
            .mapTo(String.class)
            .one();
      }
      tx.afterCommit(() -> signal.wake(lane));
    }
  }

  @Override
  public List<Job> enqueueLeased(Tx tx, List<NewJob> jobs, long leaseUntil) {
    long now = clock.millis();
    List<Job> leased = new java.util.ArrayList<>(jobs.size());
    for (NewJob j : jobs) leased.add(insertOne(tx, j, "active", 1, leaseUntil, now));
    return leased;
  }

  /** Inserts one job and answers it as stored (ids come back one at a time, unlike a batch). */
  private Job insertOne(Tx tx, NewJob j, String state, int attempts, Long leaseUntil, long now) {
    return tx.handle()
        .createQuery(
            "INSERT INTO jobs (lane, kind, app_id, notification_id, payload, state, run_at, attempts,"
                + " lease_until, created_at) VALUES (:lane, :kind, :app, :notification, :payload, :state,"
                + " :runAt, :attempts, :lease, :now) RETURNING "
                + COLUMNS)
        .bind("lane", j.lane().key())
        .bind("kind", j.kind())
        .bind("app", j.appId())
        .bind("notification", j.notificationId())
        .bind("payload", j.payload())
        .bind("state", state)
        .bind("runAt", j.runAt())
        .bind("attempts", attempts)
        .bind("lease", leaseUntil)
        .bind("now", now)
        .map(SqlWorkQueue::job)
        .one();
  }

  @Override
  public List<Job> claim(Tx tx, Lane lane, int max, long leaseUntil) {
    return tx.handle()
        .createQuery(claimSql)
        .bind("lease", leaseUntil)
        .bind("lane", lane.key())
        .bind("now", clock.millis())
        .bind("max", max)
        .map(SqlWorkQueue::job)
        .list();
  }

  @Override
  public void complete(Tx tx, Job job) {
    tx.handle().createUpdate("DELETE FROM jobs WHERE id = :id").bind("id", job.id()).execute();
  }

  @Override
  public void reschedule(Tx tx, Job job, long runAt, String error, String payload) {
    tx.handle()
        .createUpdate(
            "UPDATE jobs SET state = 'ready', run_at = :runAt, lease_until = NULL, last_error = :error,"
                + " payload = :payload WHERE id = :id")
        .bind("runAt", runAt)
        .bind("error", truncate(error))
        .bind("payload", payload == null ? job.payload() : payload)
        .bind("id", job.id())
        .execute();
    tx.afterCommit(() -> signal.wake(job.lane()));
  }

  @Override
  public void postpone(Tx tx, Job job, long runAt) {
    tx.handle()
        .createUpdate(
            "UPDATE jobs SET state = 'ready', run_at = :runAt, lease_until = NULL, attempts = attempts - 1 WHERE id = :id")
        .bind("runAt", runAt)
        .bind("id", job.id())
        .execute();
    tx.afterCommit(() -> signal.wake(job.lane()));
  }

  @Override
  public DeadLetter bury(Tx tx, Job job, String error, long expiresAt) {
    long now = clock.millis();
    DeadLetter letter =
        new DeadLetter(
            Ids.next(now),
            job.appId(),
            job.lane(),
            job.kind(),
            job.notificationId(),
            job.payload(),
            job.attempts(),
            truncate(error),
            now,
            expiresAt);
    tx.handle()
        .createUpdate(
            "INSERT INTO dead_letters (id, app_id, lane, kind, notification_id, payload, attempts, last_error,"
                + " created_at, expires_at) VALUES (:id, :app, :lane, :kind, :notification, :payload, :attempts,"
                + " :error, :now, :expires)")
        .bind("id", letter.id())
        .bind("app", letter.appId())
        .bind("lane", letter.lane().key())
        .bind("kind", letter.kind())
        .bind("notification", letter.notificationId())
        .bind("payload", letter.payload())
        .bind("attempts", letter.attempts())
        .bind("error", letter.lastError())
        .bind("now", now)
        .bind("expires", expiresAt)
        .execute();
    complete(tx, job);
    return letter;
  }

  @Override
  public void extendLease(Tx tx, long jobId, long leaseUntil) {
    tx.handle()
        .createUpdate("UPDATE jobs SET lease_until = :l WHERE id = :id")
        .bind("l", leaseUntil)
        .bind("id", jobId)
        .execute();
  }

  @Override
  public int releaseExpired(Tx tx, long now) {
    int n =
        tx.handle()
            .createUpdate(
                "UPDATE jobs SET state = 'ready', lease_until = NULL WHERE state = 'active' AND lease_until < :now")
            .bind("now", now)
            .execute();
    if (n > 0) tx.afterCommit(() -> List.of(Lane.values()).forEach(signal::wake));
    return n;
  }

  @Override
  public void release(Tx tx, List<Long> jobIds) {
    if (jobIds.isEmpty()) return;
    tx.handle()
        .createUpdate(
            "UPDATE jobs SET state = 'ready', lease_until = NULL, attempts = attempts - 1 WHERE id IN (<ids>) AND state = 'active'")
        .bindList("ids", jobIds)
        .execute();
  }

  @Override
  public int releaseAll(Tx tx) {
    return tx.handle()
        .createUpdate("UPDATE jobs SET state = 'ready', lease_until = NULL WHERE state = 'active'")
        .execute();
  }

  @Override
  public int cancel(Tx tx, String notificationId) {
    return tx.handle()
        .createUpdate("DELETE FROM jobs WHERE notification_id = :n AND state = 'ready'")
        .bind("n", notificationId)
        .execute();
  }

  @Override
  public void addCompleted(Tx tx, Lane lane, Map<String, Long> perApp) {
    if (perApp.isEmpty()) return;
    PreparedBatch batch =
        tx.handle()
            .prepareBatch(
                "INSERT INTO queue_totals (lane, app_id, completed) VALUES (:lane, :app, :n)"
                    + " ON CONFLICT (lane, app_id) DO UPDATE SET completed = queue_totals.completed + excluded.completed");
    perApp.forEach((app, n) -> batch.bind("lane", lane.key()).bind("app", app).bind("n", n).add());
    batch.execute();
  }

  @Override
  public OptionalLong nextRunAt(Lane lane) {
    Long next =
        db.read(
            h ->
                h.createQuery("SELECT MIN(run_at) FROM jobs WHERE lane = :lane AND state = 'ready'")
                    .bind("lane", lane.key())
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(null));
    return next == null ? OptionalLong.empty() : OptionalLong.of(next);
  }

  @Override
  public Map<Lane, QueueCounts> counts(Optional<String> appId, long now) {
    String where = appId.isPresent() ? " WHERE app_id = :app" : "";
    String app = appId.orElse("");
    return db.read(
        h -> {
          Map<Lane, long[]> acc = new EnumMap<>(Lane.class);
          for (Lane l : Lane.values()) acc.put(l, new long[5]);
          h.createQuery(
                  "SELECT lane, CASE WHEN state = 'active' THEN 'active' WHEN run_at <= :now THEN 'waiting'"
                      + " ELSE 'delayed' END AS s, COUNT(*) AS n FROM jobs"
                      + where
                      + " GROUP BY lane, s")
              .bind("now", now)
              .bind("app", app)
              .map(
                  (rs, ctx) ->
                      add(acc, rs.getString("lane"), slot(rs.getString("s")), rs.getLong("n")))
              .list();
          h.createQuery("SELECT lane, COUNT(*) AS n FROM dead_letters" + where + " GROUP BY lane")
              .bind("app", app)
              .map((rs, ctx) -> add(acc, rs.getString("lane"), 3, rs.getLong("n")))
              .list();
          h.createQuery(
                  "SELECT lane, SUM(completed) AS n FROM queue_totals" + where + " GROUP BY lane")
              .bind("app", app)
              .map((rs, ctx) -> add(acc, rs.getString("lane"), 4, rs.getLong("n")))
              .list();
          Map<Lane, QueueCounts> out = new EnumMap<>(Lane.class);
          acc.forEach((lane, a) -> out.put(lane, new QueueCounts(a[0], a[1], a[2], a[3], a[4])));
          return out;
        });
  }

  private static int slot(String state) {
    return switch (state) {
      case "waiting" -> 0;
      case "active" -> 1;
      default -> 2;
    };
  }

  private static Void add(Map<Lane, long[]> acc, String lane, int slot, long n) {
    acc.get(Lane.of(lane))[slot] += n;
    return null;
  }

  @Override
  public List<DeadLetter> deadLetters(String appId, Optional<String> after, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM dead_letters WHERE app_id = :app AND (:after = '' OR id < :after) ORDER BY id DESC LIMIT :limit")
                .bind("app", appId)
                .bind("after", after.orElse(""))
                .bind("limit", limit)
                .map(SqlWorkQueue::deadLetter)
                .list());
  }

  @Override
  public Optional<DeadLetter> deadLetter(Tx tx, String appId, String id) {
    return tx.handle()
        .createQuery("SELECT * FROM dead_letters WHERE app_id = :app AND id = :id")
        .bind("app", appId)
        .bind("id", id)
        .map(SqlWorkQueue::deadLetter)
        .findOne();
  }

  @Override
  public Job redrive(Tx tx, DeadLetter letter, long now) {
    tx.handle()
        .createUpdate("DELETE FROM dead_letters WHERE id = :id")
        .bind("id", letter.id())
        .execute();
    NewJob again =
        new NewJob(
            letter.lane(),
            letter.kind(),
            letter.appId(),
            letter.notificationId(),
            letter.payload(),
            now);
    Job job = insertOne(tx, again, "ready", 0, null, now);
    tx.afterCommit(() -> signal.wake(letter.lane()));
    return job;
  }

  @Override
  public int purgeDeadLetters(Tx tx, long now) {
    return tx.handle()
        .createUpdate("DELETE FROM dead_letters WHERE expires_at < :now")
        .bind("now", now)
        .execute();
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
  }

  private static Job job(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Job(
        rs.getLong("id"),
        Lane.of(rs.getString("lane")),
        rs.getString("kind"),
        rs.getString("app_id"),
        rs.getString("notification_id"),
        rs.getString("payload"),
        rs.getInt("attempts"),
        rs.getLong("run_at"),
        rs.getLong("created_at"));
  }

  private static DeadLetter deadLetter(ResultSet rs, StatementContext ctx) throws SQLException {
    return new DeadLetter(
        rs.getString("id"),
        rs.getString("app_id"),
        Lane.of(rs.getString("lane")),
        rs.getString("kind"),
        rs.getString("notification_id"),
        rs.getString("payload"),
        rs.getInt("attempts"),
        rs.getString("last_error"),
        rs.getLong("created_at"),
        rs.getLong("expires_at"));
  }
}
