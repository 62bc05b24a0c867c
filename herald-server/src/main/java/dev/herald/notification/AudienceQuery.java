package dev.herald.notification;

import dev.herald.store.Dialect;
import dev.herald.web.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Pages through the subscribers a send selects, in id order, deduplicated across selectors. Each
 * selector's branch is limited to one page before the union, so a page costs the same at the start
 * and at the end of a million-subscriber audience.
 */
final class AudienceQuery {
  private AudienceQuery() {}

  /** The next {@code size} subscriber ids after {@code after} ("" for the start). */
  static List<String> page(
      Handle h, Dialect dialect, String appId, Send.Audience a, String after, int size) {
    TreeSet<String> ids = new TreeSet<>();
    for (String id : a.subscribers()) {
      if (id.compareTo(after) > 0) {
        ids.add(id);
        if (ids.size() >= size) break;
      }
    }
    if (a.selectsBeyondList()) {
      ids.addAll(selected(h, dialect, appId, a, after, size));
    }
    List<String> page = new ArrayList<>(size);
    for (String id : ids) {
      if (page.size() == size) break;
      page.add(id);
    }
    return page;
  }

  /** How many subscribers a send selects (for dry runs and the sync limit). */
  static long count(Handle h, Dialect dialect, String appId, Send.Audience a) {
    long n = 0;
    String after = "";
    int size = 5_000;
    while (true) {
      List<String> page = page(h, dialect, appId, a, after, size);
      n += page.size();
      if (page.size() < size) return n;
      after = page.getLast();
    }
  }

  private static List<String> selected(
      Handle h, Dialect dialect, String appId, Send.Audience a, String after, int size) {
    List<String> branches = new ArrayList<>();
    if (a.all()) {
      branches.add(
          "SELECT id AS sid FROM subscribers WHERE app_id = :app AND id > :after ORDER BY id LIMIT :n");
    } else {
      if (!a.topics().isEmpty()) {
        branches.add(
            "SELECT DISTINCT subscriber_id AS sid FROM topic_subscribers WHERE app_id = :app AND topic IN (<topics>)"
                + " AND subscriber_id > :after ORDER BY subscriber_id LIMIT :n");
      }
      if (!a.segment().isEmpty()) {
        StringBuilder where = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, List<Object>> e : a.segment().entrySet()) {
          where.append(" AND ").append(dialect.attributeIn("attributes", "k" + i, "v" + i));
          i++;
        }
        branches.add(
            "SELECT id AS sid FROM subscribers WHERE app_id = :app AND id > :after"
                + where
                + " ORDER BY id LIMIT :n");
      }
    }
    StringBuilder sql = new StringBuilder("SELECT sid FROM (");
    for (int i = 0; i < branches.size(); i++) {
      if (i > 0) sql.append(" UNION ");
      sql.append("SELECT sid FROM (").append(branches.get(i)).append(") b").append(i);
    }
    sql.append(") u ORDER BY sid LIMIT :n");
    Query q = h.createQuery(sql.toString()).bind("app", appId).bind("after", after).bind("n", size);
    if (!a.all() && !a.topics().isEmpty()) q.bindList("topics", a.topics());
    if (!a.all()) {
      int i = 0;
      for (Map.Entry<String, List<Object>> e : a.segment().entrySet()) {
        q.bind("k" + i, e.getKey());
        if (dialect == Dialect.POSTGRES) q.bind("v" + i, Json.write(e.getValue()));
        else q.bindList("v" + i, e.getValue().stream().map(AudienceQuery::bindable).toList());
        i++;
      }
    }
    return q.mapTo(String.class).list();
  }

  /** SQLite's json_extract yields typed values (true as 1), compared with these. */
  private static Object bindable(Object v) {
    if (v instanceof Boolean b) return b ? 1 : 0;
    if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
    if (v instanceof Number n) return n.doubleValue();
    return v;
  }
}
