package dev.herald.delivery;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which sender delivers a channel through a provider for an app: senders registered for every app
 * (e.g. loopback mocks in tests) first, then lookups such as the per-app provider credentials. A
 * provider without a sender is "not configured": its deliveries are recorded as skipped with that
 * reason, never dropped. Thread-safe.
 */
public class ChannelSenders {
  /** Finds the sender for an app's channel and provider, if it has one. */
  @FunctionalInterface
  public interface Lookup {
    Optional<DeliverySender> find(String appId, String channel, String provider);
  }

  private final Map<String, DeliverySender> global = new ConcurrentHashMap<>();
  private final List<Lookup> lookups = new CopyOnWriteArrayList<>();

  /** Registers a sender for every app. */
  public ChannelSenders register(String channel, String provider, DeliverySender sender) {
    global.put(channel + "/" + provider, sender);
    return this;
  }

  /** Adds a lookup consulted when no sender is registered for every app. */
  public ChannelSenders add(Lookup lookup) {
    lookups.add(lookup);
    return this;
  }

  public Optional<DeliverySender> find(String appId, String channel, String provider) {
    DeliverySender registered = global.get(channel + "/" + provider);
    if (registered != null) return Optional.of(registered);
    for (Lookup lookup : lookups) {
      Optional<DeliverySender> found = lookup.find(appId, channel, provider);
      if (found.isPresent()) return found;
    }
    return Optional.empty();
  }
}
