package dev.herald.realtime;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SocketOptions.KeepAliveOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cluster bus over Redis pub/sub: every node subscribes to one channel, {@code herald:inbox},
 * and a batch of messages travels as one {@code PUBLISH} (split only past {@link
 * #MAX_PAYLOAD_BYTES}). Lettuce reconnects by itself and subscribes again; that second subscription
 * is what tells the listener it was {@link Listener#reconnected() reconnected}. Thread-safe.
 */
public final class RedisEventBus implements EventBus {
  static final String CHANNEL = "herald:inbox";
  // Redis takes far more, but one payload is read whole by every node: keep each moderate.
  static final int MAX_PAYLOAD_BYTES = 512 * 1024;
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> publisher;
  private final StatefulRedisPubSubConnection<String, String> subscriber;
  private final PublishQueue outgoing;
  private final Receiver receiver = new Receiver();

  private RedisEventBus(ClientResources resources, RedisClient client) {
    this.resources = resources;
    this.client = client;
    this.publisher = client.connect();
    this.subscriber = client.connectPubSub();
    subscriber.addListener(new Subscription());
    subscriber.sync().subscribe(CHANNEL);
    this.outgoing = new PublishQueue("redis", PublishQueue.DEFAULT_CAPACITY, this::send);
  }

  /**
   * Connects to {@code url} ({@code redis://[:password@]host[:port][/db]}) and subscribes; throws
   * {@link IllegalStateException} naming the server when it cannot be reached.
   */
  public static RedisEventBus connect(String url) {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(COMMAND_TIMEOUT);
    // Lettuce sizes its thread pools by cores; a bus of two connections needs the minimum.
    ClientResources resources =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(100), Duration.ofSeconds(5), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            // Publishing while disconnected fails at once instead of piling up in memory.
            .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(COMMAND_TIMEOUT)
                    // A subscriber only reads: keepalive is what notices a silently cut link.
                    .keepAlive(
                        KeepAliveOptions.builder()
                            .enable()
                            .idle(Duration.ofSeconds(30))
                            .interval(Duration.ofSeconds(10))
                            .count(3)
                            .build())
                    .build())
            .build());
    try {
      return new RedisEventBus(resources, client);
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "Cannot connect to Redis at "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + " (HERALD_REDIS_URL): "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void publish(List<BusMessage> messages) {
    outgoing.offer(messages);
  }

  private void send(List<BusMessage> batch) {
    for (String payload : BusCodec.pack(batch, MAX_PAYLOAD_BYTES)) {
      publisher.sync().publish(CHANNEL, payload);
    }
  }

  @Override
  public void listen(Listener listener) {
    receiver.listen(listener);
  }

  @Override
  public boolean healthy() {
    return subscriber.isOpen() && publisher.isOpen();
  }

  @Override
  public void close() {
    outgoing.close();
    subscriber.close();
    publisher.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** Runs on Lettuce's event loop. */
  private final class Subscription extends RedisPubSubAdapter<String, String> {
    private volatile boolean subscribedBefore; // a reconnect may move to another event loop

    @Override
    public void message(String channel, String payload) {
      receiver.payload(payload);
    }

    @Override
    public void subscribed(String channel, long count) {
      // Lettuce subscribes again after each reconnect; only those later subscriptions count.
      if (subscribedBefore) receiver.reconnected();
      subscribedBefore = true;
    }
  }
}
