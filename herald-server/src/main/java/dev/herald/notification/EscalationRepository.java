package dev.herald.notification;

import dev.herald.store.Dialect;
import dev.herald.store.Tx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Escalation steps that wait for their time, and the reads their runs and cancellations need. */
final class EscalationRepository {
  static final String SCHEDULED = "scheduled";
  static final String DONE = "done";
  static final String CANCELED = "canceled";
  static final String FAILED = "failed";

  /** A delayed step as stored; {@code cursor} is the last in-app recipient key it processed. */
  record StepRow(
      String notificationId,
      int step,
      String channel,
      boolean unlessRead,
      long dueAt,
      String state,
      String cursor,
      long recipients,
      long canceledByRead,
      Long finishedAt) {}

  /** A recipient of the notification's in-app step: its delivery key and subscriber. */
  record Recipient(String key, String subscriberId) {}

  /** A pending delivery canceled because its subscriber read the item. */
  record CanceledOnRead(String notificationId, String channel) {}

  void insert(Tx tx, List<StepRow> steps) {
    if (steps.isEmpty()) return;
    PreparedBatch batch =
        tx.handle()
            .prepareBatch(
                "INSERT INTO escalation_steps (notification_id, step, channel, unless_read, due_at, state)"
                    + " VALUES (:n, :step, :channel, :unless, :due, 'scheduled')");
    for (StepRow s : steps) {
      batch
          .bind("n", s.notificationId())
          .bind("step", s.step())
          .bind("channel", s.channel())
          .bind("unless", s.unlessRead() ? 1 : 0)
          .bind("due", s.dueAt())
          .add();
    }
    batch.execute();
  }

  List<StepRow> of(Handle h, String notificationId) {
    return h.createQuery("SELECT * FROM escalation_steps WHERE notification_id = :n ORDER BY step")
        .bind("n", notificationId)
        .map(
            (rs, ctx) -> {
              long finished = rs.getLong("finished_at");
              Long finishedAt = rs.wasNull() ? null : finished;
              return new StepRow(
                  rs.getString("notification_id"),
                  rs.getInt("step"),
                  rs.getString("channel"),
                  rs.getInt("unless_read") == 1,
                  rs.getLong("due_at"),
                  rs.getString("state"),
                  rs.getString("page_cursor"),
                  rs.getLong("recipients"),
                  rs.getLong("canceled_by_read"),
                  finishedAt);
            })
        .list();
  }

  Optional<StepRow> find(Handle h, String notificationId, int step) {
    return of(h, notificationId).stream().filter(s -> s.step() == step).findFirst();
  }

  /**
   * Records a committed page: the cursor, what it counted and, on the last page, that it is done.
   */
  void checkpoint(
      Tx tx,
      String notificationId,
      int step,
      String cursor,
      long recipients,
      long canceledByRead,
      boolean done,
      long now) {
    tx.handle()
        .createUpdate(
            "UPDATE escalation_steps SET page_cursor = :cursor, recipients = recipients + :recipients,"
                + " canceled_by_read = canceled_by_read + :canceled, state = :state, finished_at = :finished"
                + " WHERE notification_id = :n AND step = :step")
        .bind("cursor", cursor)
        .bind("recipients", recipients)
        .bind("canceled", canceledByRead)
        .bind("state", done ? DONE : SCHEDULED)
        .bind("finished", done ? now : null)
        .bind("n", notificationId)
        .bind("step", step)
        .execute();
  }

  /** Moves a step (all of the notification's steps when {@code step} is null) from one state. */
  int move(Tx tx, String notificationId, Integer step, String from, String to, long now) {
    return tx.handle()
        .createUpdate(
            "UPDATE escalation_steps SET state = :to, finished_at = :finished WHERE notification_id = :n"
                + " AND state = :from"
                + (step == null ? "" : " AND step = :step"))
        .bind("to", to)
        .bind("finished", to.equals(SCHEDULED) ? null : now)
        .bind("n", notificationId)
        .bind("from", from)
        .bind("step", step)
        .execute();
  }

  /** The next in-app recipients of a notification after {@code afterKey}, in key order. */
  List<Recipient> recipients(Handle h, String notificationId, String afterKey, int limit) {
    return h.createQuery(
            "SELECT recipient_key, subscriber_id FROM deliveries WHERE notification_id = :n AND channel = 'in_app'"
                + " AND recipient_key > :after ORDER BY recipient_key LIMIT :limit")
        .bind("n", notificationId)
        .bind("after", afterKey)
        .bind("limit", limit)
        .map((rs, ctx) -> new Recipient(rs.getString(1), rs.getString(2)))
        .list();
  }

  /**
   * Which of {@code subscriberIds} have read their item of the notification. On PostgreSQL the
   * items are locked until commit, so a read committing meanwhile either is seen here or waits and
   * then finds this page's pending deliveries to cancel.
   */
  Set<String> readers(Tx tx, String notificationId, Collection<String> subscriberIds) {
    Set<String> read = new HashSet<>();
    if (subscriberIds.isEmpty()) return read;
    tx.handle()
        .createQuery(
            "SELECT subscriber_id, read_at FROM inbox_items WHERE notification_id = :n AND subscriber_id IN (<subs>)"
                + (tx.dialect() == Dialect.POSTGRES ? " FOR UPDATE" : ""))
        .bind("n", notificationId)
        .bindList("subs", List.copyOf(subscriberIds))
        .map((rs, ctx) -> Map.entry(rs.getString("subscriber_id"), rs.getObject("read_at") != null))
        .forEach(
            item -> {
              if (item.getValue()) read.add(item.getKey());
            });
    return read;
  }

  /** The channels of read-aware steps, per notification, for those of {@code ids} that have any. */
  Map<String, Set<String>> readAwareChannels(Handle h, List<String> notificationIds) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < notificationIds.size(); i += 1000) {
      h.createQuery(
              "SELECT notification_id, channel FROM escalation_steps WHERE notification_id IN (<ids>)"
                  + " AND unless_read = 1")
          .bindList("ids", notificationIds.subList(i, Math.min(notificationIds.size(), i + 1000)))
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
          .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
    }
    return out;
  }

  /** A subscriber's device ids: the recipient keys of their push deliveries. */
  List<String> devicesOf(Handle h, String appId, String subscriberId) {
    return h.createQuery("SELECT id FROM devices WHERE app_id = :app AND subscriber_id = :s")
        .bind("app", appId)
        .bind("s", subscriberId)
        .mapTo(String.class)
        .list();
  }

  /**
   * Cancels, with reason {@code read}, the subscriber's pending deliveries of read-aware steps of
   * these notifications. Looked up by recipient key through the unique index, so it costs the same
   * for a broadcast as for one recipient.
   */
  List<CanceledOnRead> cancelPendingOnRead(
      Tx tx,
      Collection<String> notificationIds,
      Collection<String> channels,
      Collection<String> recipientKeys,
      String subscriberId,
      long now) {
    return tx.handle()
        .createQuery(
            "UPDATE deliveries SET status = 'canceled', reason = 'read', updated_at = :now"
                + " WHERE notification_id IN (<ids>) AND channel IN (<channels>) AND recipient_key IN (<keys>)"
                + " AND subscriber_id = :s AND status = 'pending' AND EXISTS (SELECT 1 FROM escalation_steps e"
                + " WHERE e.notification_id = deliveries.notification_id AND e.channel = deliveries.channel"
                + " AND e.unless_read = 1) RETURNING notification_id, channel")
        .bind("now", now)
        .bindList("ids", List.copyOf(notificationIds))
        .bindList("channels", List.copyOf(channels))
        .bindList("keys", List.copyOf(recipientKeys))
        .bind("s", subscriberId)
        .map((rs, ctx) -> new CanceledOnRead(rs.getString(1), rs.getString(2)))
        .list();
  }

  void addCanceledByRead(Tx tx, String notificationId, String channel, long n) {
    tx.handle()
        .createUpdate(
            "UPDATE escalation_steps SET canceled_by_read = canceled_by_read + :k"
                + " WHERE notification_id = :n AND channel = :channel")
        .bind("k", n)
        .bind("n", notificationId)
        .bind("channel", channel)
        .execute();
  }

  static List<StepRow> rowsFor(Notification n, long start) {
    List<StepRow> rows = new ArrayList<>();
    List<Send.Step> steps = n.send().escalation();
    for (int i = 0; i < steps.size(); i++) {
      Send.Step s = steps.get(i);
      if (!s.delayed()) continue;
      boolean unlessRead = EscalationRules.UNLESS_READ.equals(s.unless());
      rows.add(
          new StepRow(
              n.id(),
              i,
              s.channel(),
              unlessRead,
              start + s.afterMs(),
              SCHEDULED,
              null,
              0,
              0,
              null));
    }
    return rows;
  }
}
