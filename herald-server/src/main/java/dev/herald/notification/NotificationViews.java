package dev.herald.notification;

import dev.herald.delivery.Delivery;
import dev.herald.web.Times;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of notifications and deliveries. */
final class NotificationViews {
  private NotificationViews() {}

  static Map<String, Object> view(Notification n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", n.id());
    m.put("status", n.status());
    m.put("priority", n.lane());
    m.put("category", n.category());
    m.put("channels", n.send().channels());
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("total", n.counts().total());
    counts.put("pending", n.counts().pending());
    counts.put("sent", n.counts().sent());
    counts.put("delivered", n.counts().delivered());
    counts.put("failed", n.counts().failed());
    counts.put("skipped", n.counts().skipped());
    counts.put("canceled", n.counts().canceled());
    m.put("counts", counts);
    Map<String, Object> progress = new LinkedHashMap<>();
    progress.put(
        "fanout", n.fanoutDone() ? "done" : n.fanoutCursor() == null ? "pending" : "running");
    progress.put("recipients_processed", n.recipients());
    long finished = n.counts().total() - n.counts().pending();
    progress.put("deliveries_finished", finished);
    progress.put(
        "percent",
        n.fanoutDone() && n.counts().total() > 0
            ? Math.round(100.0 * finished / n.counts().total())
            : n.fanoutDone() ? 100 : 0);
    m.put("progress", progress);
    m.putAll(content(n.send()));
    m.put("template", n.send().template() == null ? null : template(n.send().template()));
    m.put("ttl_seconds", n.send().ttlSeconds());
    m.put("collapse_key", n.send().collapseKey());
    m.put("send_at", Times.iso(n.sendAt()));
    m.put("created_at", Times.iso(n.createdAt()));
    m.put("updated_at", Times.iso(n.updatedAt()));
    m.put("finished_at", Times.iso(n.finishedAt()));
    return m;
  }

  static Map<String, Object> content(Send send) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", send.content().title());
    m.put("body", send.content().body());
    m.put("data", send.content().data());
    m.put("url", send.content().url());
    m.put("image", send.content().image());
    return m;
  }

  static Map<String, Object> template(Send.TemplateRef t) {
    return Map.of("key", t.key(), "version", t.version());
  }

  static Map<String, Object> delivery(Delivery d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("notification_id", d.notificationId());
    m.put("subscriber_id", d.subscriberId());
    m.put("channel", d.channel());
    m.put("provider", d.provider());
    m.put("device_id", d.deviceId());
    m.put("status", d.status());
    m.put("reason", d.reason());
    m.put("attempts", d.attempts());
    m.put("provider_message_id", d.providerMessageId());
    m.put("created_at", Times.iso(d.createdAt()));
    m.put("updated_at", Times.iso(d.updatedAt()));
    return m;
  }
}
