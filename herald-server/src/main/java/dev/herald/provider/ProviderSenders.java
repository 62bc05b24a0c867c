package dev.herald.provider;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliverySender;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Senders built from each app's provider credentials, one per app, channel and provider, rebuilt
 * when the credentials change (the replaced client is closed once its in-flight work had time to
 * finish). A provider without credentials has no sender: its deliveries are skipped as not
 * configured. Thread-safe.
 */
public final class ProviderSenders implements ChannelSenders.Lookup, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProviderSenders.class);
  private static final Duration RETIRE_AFTER = Duration.ofSeconds(30);

  /** Builds a sender from one app's credentials of the kind it was added for. */
  @FunctionalInterface
  public interface Factory {
    Built build(Providers.Credentials credentials);
  }

  /** A sender and the client to close when it is replaced or Herald stops. */
  public record Built(DeliverySender sender, AutoCloseable client) {}

  private record Versioned(long version, Built built) {}

  private final Providers providers;
  private final Map<String, Factory> factories = new ConcurrentHashMap<>();
  private final Map<String, Versioned> built = new ConcurrentHashMap<>();

  public ProviderSenders(Providers providers) {
    this.providers = providers;
  }

  /** Sends {@code channel} through provider {@code kind} with senders {@code factory} builds. */
  public ProviderSenders add(String channel, String kind, Factory factory) {
    factories.put(channel + "/" + kind, factory);
    return this;
  }

  @Override
  public Optional<DeliverySender> find(String appId, String channel, String provider) {
    Factory factory = factories.get(channel + "/" + provider);
    if (factory == null) return Optional.empty();
    Optional<Providers.Credentials> credentials = providers.find(appId, provider);
    if (credentials.isEmpty()) return Optional.empty();
    Providers.Credentials c = credentials.get();
    Versioned current =
        built.compute(
            appId + "/" + channel + "/" + provider,
            (key, old) -> {
              if (old != null && old.version() == c.version()) return old;
              if (old != null) retire(old.built().client());
              return new Versioned(c.version(), factory.build(c));
            });
    return Optional.of(current.built().sender());
  }

  private static void retire(AutoCloseable client) {
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(RETIRE_AFTER);
                client.close();
              } catch (Exception e) {
                log.debug("Closing a replaced provider client failed", e);
              }
            });
  }

  @Override
  public void close() {
    for (Versioned v : built.values()) {
      try {
        v.built().client().close();
      } catch (Exception e) {
        log.debug("Closing a provider client failed", e);
      }
    }
    built.clear();
  }
}
