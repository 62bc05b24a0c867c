package dev.herald.webhook;

import dev.herald.delivery.Bulkheads;
import dev.herald.queue.Job;
import dev.herald.queue.JobHandler;
import dev.herald.queue.JobResult;
import dev.herald.queue.TxAction;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.store.Tx;
import dev.herald.web.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code webhook} jobs: signs one message for one endpoint, posts it, and records the attempt
 * with its outcome. A 2xx is success; any other answer or none is a failure retried on the work
 * queue's backoff (a 429's or 503's Retry-After wins when longer, up to an hour); a 410 Gone
 * disables the endpoint at once. A message whose attempts are used up counts towards disabling the
 * endpoint. Endpoints that are disabled, deleted or no longer subscribed receive nothing.
 */
final class WebhookSender implements JobHandler {
  static final String KIND = "webhook";
  // How soon a message for an endpoint at its concurrency limit is offered again.
  static final Duration ENDPOINT_BUSY_WAIT = Duration.ofMillis(200);
  // A receiver may ask for a pause, but not for one longer than this.
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  /** A job's payload: which event goes to which endpoint. */
  record Payload(String webhookId, String eventId) {}

  /** One call and what it means for the endpoint. */
  record Call(Attempt attempt, Outcome outcome, Duration retryAfter) {}

  enum Outcome {
    SUCCEEDED,
    FAILED,
    GONE
  }

  private final WebhookStore webhooks;
  private final OutboxEvents events;
  private final AttemptLog attempts;
  private final WebhookClient client;
  private final Bulkheads bulkheads;
  private final int disableAfter;
  private final Clock clock;
  private final Database db;

  WebhookSender(
      Database db,
      WebhookStore webhooks,
      OutboxEvents events,
      AttemptLog attempts,
      WebhookClient client,
      Bulkheads bulkheads,
      int disableAfter,
      Clock clock) {
    this.webhooks = webhooks;
    this.events = events;
    this.attempts = attempts;
    this.client = client;
    this.bulkheads = bulkheads;
    this.disableAfter = disableAfter;
    this.clock = clock;
    this.db = db;
  }

  @Override
  public JobResult handle(Job job) throws Exception {
    Payload p = Json.MAPPER.readValue(job.payload(), Payload.class);
    Optional<Webhook.Target> target = webhooks.target(job.appId(), p.webhookId(), clock.millis());
    Optional<WebhookMessage> message = events.message(job.appId(), p.eventId());
    if (target.isEmpty() || message.isEmpty() || !wants(target.get().webhook(), message.get())) {
      return JobResult.done();
    }
    Optional<Bulkheads.Slot> slot =
        bulkheads.tryEnter(job.appId(), "webhook:" + p.webhookId(), job.lane().key());
    if (slot.isEmpty()) return new JobResult.Postpone(ENDPOINT_BUSY_WAIT);
    Call call;
    try (Bulkheads.Slot held = slot.get()) {
      call = call(target.get(), message.get(), Attempt.SCHEDULED);
    }
    TxAction effects = effects(call);
    return switch (call.outcome()) {
      case SUCCEEDED -> new JobResult.Done(effects);
      case GONE -> new JobResult.Dead(call.attempt().error(), effects);
      case FAILED -> new JobResult.Retry(call.attempt().error(), call.retryAfter(), null, effects);
    };
  }

  /**
   * The message used every attempt: the run of failed messages grows, and may disable the endpoint.
   */
  @Override
  public void onDeadLetter(Tx tx, Job job, String error) throws Exception {
    Payload p = Json.MAPPER.readValue(job.payload(), Payload.class);
    webhooks.messageFailed(tx, p.webhookId(), error, disableAfter, clock.millis());
  }

  /** Sends a message again, now, as one more attempt; answers the attempt as stored. */
  Attempt replay(Webhook.Target target, WebhookMessage message) {
    Call call = call(target, message, Attempt.REPLAY);
    return db.write(tx -> record(tx, call));
  }

  private static boolean wants(Webhook w, WebhookMessage m) {
    return w.enabled() && WebhookEvents.matches(w.events(), m.type());
  }

  private Call call(Webhook.Target target, WebhookMessage message, String trigger) {
    long started = System.nanoTime();
    long at = clock.millis();
    long timestamp = at / 1000;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", message.id());
    headers.put("webhook-timestamp", String.valueOf(timestamp));
    headers.put(
        "webhook-signature",
        Signatures.header(target.secrets(), message.id(), timestamp, message.body()));
    WebhookClient.Answer answer = client.post(target.webhook().url(), headers, message.body());
    long durationMs = (System.nanoTime() - started) / 1_000_000;
    Integer status = null;
    String body = null;
    String error;
    Outcome outcome;
    Duration retryAfter = null;
    switch (answer) {
      case WebhookClient.Answer.Response r -> {
        status = r.status();
        body = r.body().isEmpty() ? null : r.body();
        outcome =
            r.status() >= 200 && r.status() < 300
                ? Outcome.SUCCEEDED
                : r.status() == 410 ? Outcome.GONE : Outcome.FAILED;
        error = outcome == Outcome.SUCCEEDED ? null : "HTTP " + r.status();
        if (r.status() == 429 || r.status() == 503) {
          Duration asked = WebhookClient.retryAfter(r.retryAfter(), clock.millis());
          if (asked != null)
            retryAfter = asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
        }
      }
      case WebhookClient.Answer.Failure f -> {
        outcome = Outcome.FAILED;
        error = f.error();
      }
    }
    Webhook w = target.webhook();
    Attempt attempt =
        new Attempt(
            Ids.next(at),
            w.appId(),
            w.id(),
            message.id(),
            message.type(),
            0,
            trigger,
            outcome == Outcome.SUCCEEDED,
            status,
            body,
            error,
            durationMs,
            at);
    return new Call(attempt, outcome, retryAfter);
  }

  private TxAction effects(Call call) {
    return tx -> record(tx, call);
  }

  /** Records the attempt; a success ends the endpoint's run of failures, a 410 disables it. */
  private Attempt record(Tx tx, Call call) {
    Attempt stored = attempts.record(tx, call.attempt());
    switch (call.outcome()) {
      case SUCCEEDED -> webhooks.succeeded(tx, stored.webhookId());
      case GONE ->
          webhooks.disable(
              tx, stored.webhookId(), "the endpoint answered 410 Gone", stored.createdAt());
      case FAILED -> {}
    }
    return stored;
  }
}
