package dev.herald.topic;

import dev.herald.store.Database;
import dev.herald.store.Tx;
import dev.herald.subscriber.SubscriberRepository;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Topic memberships: a topic exists while it has members. */
public final class TopicRepository {
  private final Database db;
  private final SubscriberRepository subscribers;

  public TopicRepository(Database db, SubscriberRepository subscribers) {
    this.db = db;
    this.subscribers = subscribers;
  }

  /** Adds members (creating unknown subscribers); answers how many were new to the topic. */
  public int join(Tx tx, String appId, String topic, Collection<String> ids, long now) {
    subscribers.ensureExist(tx, appId, ids, now);
    PreparedBatch batch =
        tx.handle()
            .prepareBatch(
                "INSERT INTO topic_subscribers (app_id, topic, subscriber_id, created_at) VALUES (:app, :topic, :id, :now)"
                    + " ON CONFLICT (app_id, topic, subscriber_id) DO NOTHING");
    for (String id : ids)
      batch.bind("app", appId).bind("topic", topic).bind("id", id).bind("now", now).add();
    int n = 0;
    for (int c : batch.execute()) n += Math.max(c, 0);
    return n;
  }

  public int leave(Tx tx, String appId, String topic, Collection<String> ids) {
    if (ids.isEmpty()) return 0;
    return tx.handle()
        .createUpdate(
            "DELETE FROM topic_subscribers WHERE app_id = :app AND topic = :topic AND subscriber_id IN (<ids>)")
        .bind("app", appId)
        .bind("topic", topic)
        .bindList("ids", List.copyOf(ids))
        .execute();
  }

  public List<String> members(String appId, String topic, Optional<String> after, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT subscriber_id FROM topic_subscribers WHERE app_id = :app AND topic = :topic AND subscriber_id > :after"
                        + " ORDER BY subscriber_id LIMIT :limit")
                .bind("app", appId)
                .bind("topic", topic)
                .bind("after", after.orElse(""))
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
  }
}
