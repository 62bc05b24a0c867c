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

  private final Ids ids;
  private final Clock clock;

  public Outbox(Clock clock) {
    this.ids = new Ids(clock);
    this.clock = clock;
  }

  public void record(Tx tx, String appId, String type, Map<String, Object> data) {
    tx.handle()
        .createUpdate("INSERT INTO outbox_events (id, app_id, type, payload, created_at) VALUES (:id, :app, :type, :payload, :now)")
        .bind("id", ids.next())
        .bind("app", appId)
        .bind("type", type)
        .bind("payload", Json.write(data))
        .bind("now", clock.millis())
        .execute();
  }
}
