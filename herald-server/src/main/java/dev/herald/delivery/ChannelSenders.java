package dev.herald.delivery;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which sender delivers a channel through a provider for an app. A provider without a sender is
 * "not configured": its deliveries are recorded as skipped with that reason, never dropped.
 */
public class ChannelSenders {
  private final Map<String, DeliverySender> global = new ConcurrentHashMap<>();

  /** Registers a sender for every app, e.g. a loopback mock in tests. */
  public ChannelSenders register(String channel, String provider, DeliverySender sender) {
    global.put(channel + "/" + provider, sender);
    return this;
  }

  public Optional<DeliverySender> find(String appId, String channel, String provider) {
    return Optional.ofNullable(global.get(channel + "/" + provider));
  }
}
