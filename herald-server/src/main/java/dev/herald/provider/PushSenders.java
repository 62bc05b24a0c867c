package dev.herald.provider;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliverySender;
import dev.herald.egress.EgressGuard;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push channel's senders, one per app and provider, built from the app's credentials and
 * rebuilt when they change (the replaced client is closed once its in-flight requests had time to
 * finish). A provider without credentials has no sender: its deliveries are skipped as not
 * configured. Thread-safe.
 */
public final class PushSenders implements ChannelSenders.Lookup, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PushSenders.class);
  private static final Duration RETIRE_AFTER = Duration.ofSeconds(30);

  private final Providers providers;
  private final ProviderTrust trust;
  private final EgressGuard egress;
  private final Map<String, Built> built = new ConcurrentHashMap<>();

  /** A sender with the credentials version it was built from and the client to close. */
  record Built(long version, DeliverySender sender, AutoCloseable client) {}

  public PushSenders(Providers providers, ProviderTrust trust, EgressGuard egress) {
    this.providers = providers;
    this.trust = trust;
    this.egress = egress;
  }

  @Override
  public Optional<DeliverySender> find(String appId, String channel, String provider) {
    if (!channel.equals("push")) return Optional.empty();
    Optional<Providers.Credentials> credentials = providers.find(appId, provider);
    if (credentials.isEmpty()) return Optional.empty();
    Providers.Credentials c = credentials.get();
    Built current = built.compute(appId + "/" + provider, (key, old) -> {
      if (old != null && old.version() == c.version()) return old;
      if (old != null) retire(old.client());
      return build(c);
    });
    return Optional.of(current.sender());
  }

  private Built build(Providers.Credentials c) {
    return switch (c.kind()) {
      case "apns" -> ApnsSender.build(c, trust);
      case "fcm" -> FcmSender.build(c, trust);
      case "webpush" -> WebPushSender.build(c, trust, egress);
      case "expo" -> ExpoSender.build(c, trust);
      default -> throw new IllegalStateException("no push sender for " + c.kind());
    };
  }

  private static void retire(AutoCloseable client) {
    Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(RETIRE_AFTER);
        client.close();
      } catch (Exception e) {
        log.debug("Closing a replaced push client failed", e);
      }
    });
  }

  @Override
  public void close() {
    for (Built b : built.values()) {
      try {
        b.client().close();
      } catch (Exception e) {
        log.debug("Closing a push client failed", e);
      }
    }
    built.clear();
  }
}
