package dev.herald.outbox;

import dev.herald.store.Ids;
import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.time.Clock;
import java.util.Map;

/**
 * Records events (device.registered, device.unregistered, notification.clicked, …) in the
 * transaction of the change they describe, so an event exists exactly when its change does.
 * Webhooks publish them after commit.
 */
public final class Outbox {
  public static final String DEVICE_REGISTERED = "device.registered";
  public static final String DEVICE_UNREGISTERED = "device.unregistered";
  public static final String DELIVERY_FAILED = "delivery.failed";

  private final Ids ids;
  private final Clock clock;
  private final Runnable onCommit;

  /**
   * {@code onCommit} runs after each transaction that recorded an event commits: it wakes the
   * webhook relay, so share one instance.
   */
  public Outbox(Clock clock, Runnable onCommit) {
    this.ids = new Ids(clock);
    this.clock = clock;
    this.onCommit = onCommit;
  }

  /** {@code notification.sent}, {@code notification.partial} or {@code notification.failed}. */
  public static String notificationSettled(String status) {
    return "notification." + status;
  }

  public void record(Tx tx, String appId, String type, Map<String, Object> data) {
    tx.handle()
        .createUpdate(
            "INSERT INTO outbox_events (id, app_id, type, payload, created_at) VALUES (:id, :app, :type, :payload, :now)")
        .bind("id", ids.next())
        .bind("app", appId)
        .bind("type", type)
        .bind("payload", Json.write(data))
        .bind("now", clock.millis())
        .execute();
    tx.afterCommit(onCommit);
  }
}
