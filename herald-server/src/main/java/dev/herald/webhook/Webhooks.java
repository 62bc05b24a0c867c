package dev.herald.webhook;

import dev.herald.delivery.Bulkheads;
import dev.herald.egress.EgressGuard;
import dev.herald.provider.SecretBox;
import dev.herald.queue.JobHandler;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.store.Tx;
import dev.herald.web.Access;
import dev.herald.web.Routes;
import java.time.Clock;
import javax.net.ssl.SSLContext;

/**
 * Outbound webhooks, assembled: the endpoints' API, the relay from the outbox to the work queue,
 * and the job handler that signs and sends. The relay runs only where workers run ({@link
 * #startRelay}); {@link #wake} may be called anywhere.
 */
public final class Webhooks implements AutoCloseable {
  public static final String KIND = WebhookSender.KIND;

  private final Database db;
  private final WebhookStore store;
  private final OutboxEvents events;
  private final AttemptLog attempts;
  private final WebhookClient client;
  private final WebhookSender sender;
  private final OutboxRelay relay;
  private final EgressGuard egress;
  private final Clock clock;

  /**
   * @param disableAfter consecutive messages failing every attempt that disable an endpoint
   * @param perEndpoint calls one endpoint may have in flight per lane
   */
  public Webhooks(
      Database db,
      WorkQueue queue,
      byte[] masterKey,
      EgressGuard egress,
      SSLContext tls,
      Clock clock,
      int disableAfter,
      int perEndpoint) {
    this.db = db;
    this.egress = egress;
    this.clock = clock;
    this.store = new WebhookStore(db, new SecretBox(masterKey));
    this.events = new OutboxEvents(db);
    this.attempts = new AttemptLog(db);
    this.client =
        new WebhookClient(
            egress, tls, WebhookClient.CONNECT_TIMEOUT, WebhookClient.REQUEST_TIMEOUT);
    this.sender =
        new WebhookSender(
            db, store, events, attempts, client, new Bulkheads(perEndpoint), disableAfter, clock);
    this.relay = new OutboxRelay(db, events, store, queue, clock);
  }

  /** Tells the relay that events were committed. */
  public void wake() {
    relay.wake();
  }

  public void startRelay() {
    relay.start();
  }

  public JobHandler handler() {
    return sender;
  }

  public Routes routes(Access access) {
    return new WebhookRoutes(access, db, store, events, attempts, sender, egress, clock);
  }

  /** Deletes attempts, and published outbox events, created before {@code before}. */
  public int purge(Tx tx, long before) {
    return attempts.purge(tx, before) + events.purge(tx, before);
  }

  @Override
  public void close() {
    relay.close();
    client.close();
  }
}
