package dev.herald.webhook;

import dev.herald.store.Database;
import dev.herald.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** Every call made to an endpoint, newest first. Thread-safe. */
final class AttemptLog {
  private final Database db;

  AttemptLog(Database db) {
    this.db = db;
  }

  /** Stores a call, numbering it after the earlier calls of its message; answers it as stored. */
  Attempt record(Tx tx, Attempt a) {
    int number =
        1
            + tx.handle()
                .createQuery(
                    "SELECT COALESCE(MAX(attempt), 0) FROM webhook_attempts WHERE webhook_id = :webhook AND message_id = :message")
                .bind("webhook", a.webhookId())
                .bind("message", a.messageId())
                .mapTo(Integer.class)
                .one();
    tx.handle()
        .createUpdate(
            "INSERT INTO webhook_attempts (id, app_id, webhook_id, message_id, event_type, attempt, trigger_type,"
                + " succeeded, response_status, response_body, error, duration_ms, created_at) VALUES (:id, :app,"
                + " :webhook, :message, :type, :attempt, :trigger, :succeeded, :status, :body, :error, :duration, :at)")
        .bind("id", a.id())
        .bind("app", a.appId())
        .bind("webhook", a.webhookId())
        .bind("message", a.messageId())
        .bind("type", a.eventType())
        .bind("attempt", number)
        .bind("trigger", a.trigger())
        .bind("succeeded", a.succeeded() ? 1 : 0)
        .bind("status", a.responseStatus())
        .bind("body", a.responseBody())
        .bind("error", a.error())
        .bind("duration", a.durationMs())
        .bind("at", a.createdAt())
        .execute();
    return new Attempt(
        a.id(),
        a.appId(),
        a.webhookId(),
        a.messageId(),
        a.eventType(),
        number,
        a.trigger(),
        a.succeeded(),
        a.responseStatus(),
        a.responseBody(),
        a.error(),
        a.durationMs(),
        a.createdAt());
  }

  /** Attempts of one endpoint before {@code before}, newest first, optionally of one message. */
  List<Attempt> list(
      String webhookId,
      Optional<String> messageId,
      Optional<Boolean> succeeded,
      Optional<String> before,
      int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT * FROM webhook_attempts WHERE webhook_id = :webhook");
    messageId.ifPresent(m -> sql.append(" AND message_id = :message"));
    succeeded.ifPresent(s -> sql.append(" AND succeeded = :succeeded"));
    before.ifPresent(b -> sql.append(" AND id < :before"));
    sql.append(" ORDER BY id DESC LIMIT :limit");
    return db.read(
        h ->
            h.createQuery(sql.toString())
                .bind("webhook", webhookId)
                .bind("message", messageId.orElse(null))
                .bind("succeeded", succeeded.map(s -> s ? 1 : 0).orElse(null))
                .bind("before", before.orElse(null))
                .bind("limit", limit)
                .map(AttemptLog::map)
                .list());
  }

  int purge(Tx tx, long before) {
    return tx.handle()
        .createUpdate("DELETE FROM webhook_attempts WHERE created_at < :before")
        .bind("before", before)
        .execute();
  }

  private static Attempt map(ResultSet rs, StatementContext ctx) throws SQLException {
    Long status = WebhookStore.nullableLong(rs, "response_status");
    return new Attempt(
        rs.getString("id"),
        rs.getString("app_id"),
        rs.getString("webhook_id"),
        rs.getString("message_id"),
        rs.getString("event_type"),
        rs.getInt("attempt"),
        rs.getString("trigger_type"),
        rs.getInt("succeeded") == 1,
        status == null ? null : status.intValue(),
        rs.getString("response_body"),
        rs.getString("error"),
        rs.getLong("duration_ms"),
        rs.getLong("created_at"));
  }
}
