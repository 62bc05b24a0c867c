package dev.herald.notification;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Delivery;
import dev.herald.delivery.DeliveryJob;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.Receipt;
import dev.herald.delivery.ReceiptChecker;
import dev.herald.queue.Job;
import dev.herald.queue.JobHandler;
import dev.herald.queue.JobResult;
import dev.herald.queue.TxAction;
import dev.herald.web.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code receipts} jobs: asks the provider what became of messages it accepted (Expo's
 * receipts) and moves their deliveries from sent to delivered or failed, deactivating devices the
 * provider reports gone. Receipts not ready yet are asked for again later.
 */
public final class ReceiptsHandler implements JobHandler {
  public static final String KIND = "receipts";
  static final Duration ASK_AGAIN = Duration.ofMinutes(15);

  private final DeliveryRepository deliveries;
  private final ChannelSenders senders;
  private final LateOutcomes outcomes;

  public ReceiptsHandler(
      DeliveryRepository deliveries, ChannelSenders senders, LateOutcomes outcomes) {
    this.deliveries = deliveries;
    this.senders = senders;
    this.outcomes = outcomes;
  }

  @Override
  public JobResult handle(Job job) throws Exception {
    DeliveryJob payload = Json.MAPPER.readValue(job.payload(), DeliveryJob.class);
    List<Delivery> sent =
        deliveries.find(payload.deliveries()).stream()
            .filter(d -> d.status().equals("sent") && d.providerMessageId() != null)
            .toList();
    Optional<ReceiptChecker> checker =
        senders.find(job.appId(), payload.channel(), payload.provider()).flatMap(s -> s.receipts());
    if (sent.isEmpty() || checker.isEmpty()) return JobResult.done();
    Map<String, Receipt> receipts =
        checker.get().receipts(sent.stream().map(Delivery::providerMessageId).toList());
    List<String> waiting = new ArrayList<>();
    Map<Delivery, Receipt> answered = new LinkedHashMap<>();
    for (Delivery d : sent) {
      Receipt r = receipts.get(d.providerMessageId());
      if (r == null) waiting.add(d.id());
      else answered.put(d, r);
    }
    TxAction effects = tx -> outcomes.apply(tx, job.appId(), job.notificationId(), answered);
    if (waiting.isEmpty()) return new JobResult.Done(effects);
    String again = Json.write(new DeliveryJob(payload.channel(), payload.provider(), waiting));
    return new JobResult.Retry("receipts not ready yet", ASK_AGAIN, again, effects);
  }
}
