package dev.herald.device;

import dev.herald.delivery.DeliveryObserver;
import dev.herald.outbox.Outbox;
import dev.herald.store.Tx;
import dev.herald.web.Times;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One token lifecycle for every provider: registering creates a device or refreshes it (re-linked,
 * reactivated); deactivation (unregistered by the app, or a token the provider reports gone)
 * records the reason and time, and the device is never targeted again until registered anew. Each
 * change records {@code device.registered} / {@code device.unregistered} in the outbox.
 */
public final class DeviceLifecycle {
  private final DeviceRepository repo;
  private final Outbox outbox;
  private final DeliveryObserver observer;
  private final Clock clock;

  public DeviceLifecycle(
      DeviceRepository repo, Outbox outbox, DeliveryObserver observer, Clock clock) {
    this.repo = repo;
    this.outbox = outbox;
    this.observer = observer;
    this.clock = clock;
  }

  /** A registration's result: the device as stored, and whether it is new. */
  public record Registered(Device device, boolean created) {}

  public Registered register(Tx tx, Device candidate) {
    Optional<Device> existing =
        repo.findByToken(tx.handle(), candidate.appId(), candidate.provider(), candidate.token());
    if (existing.isEmpty()) {
      repo.insert(tx, candidate);
      outbox.record(tx, candidate.appId(), Outbox.DEVICE_REGISTERED, event(candidate, null));
      return new Registered(candidate, true);
    }
    Device before = existing.get();
    repo.refresh(tx, candidate, before.id());
    Device after = repo.find(tx.handle(), candidate.appId(), before.id()).orElseThrow();
    if (!before.active()
        || !java.util.Objects.equals(before.subscriberId(), after.subscriberId())) {
      outbox.record(tx, after.appId(), Outbox.DEVICE_REGISTERED, event(after, null));
    }
    return new Registered(after, false);
  }

  /** Deactivates an active device; answers false if it was not active. */
  public boolean deactivate(Tx tx, String appId, String deviceId, String reason) {
    Optional<Device> device = repo.find(tx.handle(), appId, deviceId);
    if (device.isEmpty() || !repo.deactivate(tx, appId, deviceId, reason, clock.millis()))
      return false;
    outbox.record(tx, appId, Outbox.DEVICE_UNREGISTERED, event(device.get(), reason));
    String provider = device.get().provider();
    tx.afterCommit(() -> observer.deviceDeactivated(provider, reason));
    return true;
  }

  private Map<String, Object> event(Device d, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device_id", d.id());
    m.put("subscriber_id", d.subscriberId());
    m.put("provider", d.provider());
    m.put("platform", d.platform());
    if (reason != null) m.put("reason", reason);
    m.put("at", Times.iso(clock.millis()));
    return m;
  }
}
