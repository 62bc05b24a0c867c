package dev.herald.testing;

import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A sender that accepts every message and remembers it, so tests can count what reached a provider.
 * One instance may be registered on several servers to see a whole cluster's sends. Thread-safe.
 */
public final class RecordingSender implements DeliverySender {
  private final ConcurrentLinkedQueue<Message> sent = new ConcurrentLinkedQueue<>();
  private final Duration latency;

  public RecordingSender() {
    this(Duration.ZERO);
  }

  /** A sender that takes {@code latency} per batch, like a provider's round trip. */
  public RecordingSender(Duration latency) {
    this.latency = latency;
  }

  @Override
  public List<SendOutcome> send(List<Message> batch) throws InterruptedException {
    if (latency.isPositive()) Thread.sleep(latency);
    sent.addAll(batch);
    return batch.stream()
        .<SendOutcome>map(m -> new SendOutcome.Accepted("msg-" + m.deliveryId()))
        .toList();
  }

  public List<Message> messages() {
    return List.copyOf(sent);
  }

  /** How many messages share each value of {@code key}, e.g. per delivery id or address. */
  /** What was sent to one subscriber, in order. */
  public List<Message> messagesTo(String subscriberId) {
    return messages().stream().filter(m -> subscriberId.equals(m.subscriberId())).toList();
  }

  public Map<String, Long> countBy(Function<Message, String> key) {
    return sent.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
  }
}
