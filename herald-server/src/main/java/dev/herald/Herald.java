package dev.herald;

import dev.herald.app.AppRepository;
import dev.herald.app.AppRoutes;
import dev.herald.app.AppService;
import dev.herald.app.Bootstrap;
import dev.herald.app.KeyAuthenticator;
import dev.herald.app.SubscriberTokens;
import dev.herald.config.HeraldConfig;
import dev.herald.config.MasterKey;
import dev.herald.delivery.Bulkheads;
import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliveryJob;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.device.DeviceLifecycle;
import dev.herald.device.DeviceRepository;
import dev.herald.device.DeviceRoutes;
import dev.herald.digest.DigestSweep;
import dev.herald.egress.EgressGuard;
import dev.herald.email.SmtpSender;
import dev.herald.email.UnsubscribeLinks;
import dev.herald.email.UnsubscribeRoutes;
import dev.herald.email.UnsubscribeTokens;
import dev.herald.engagement.EngagementRoutes;
import dev.herald.engagement.Engagements;
import dev.herald.inbox.Inbox;
import dev.herald.inbox.InboxEvents;
import dev.herald.inbox.InboxRepository;
import dev.herald.inbox.InboxRoutes;
import dev.herald.notification.DeliveryHandler;
import dev.herald.notification.EscalationRunner;
import dev.herald.notification.Escalations;
import dev.herald.notification.FanOut;
import dev.herald.notification.LateOutcomes;
import dev.herald.notification.NotificationRepository;
import dev.herald.notification.NotificationRoutes;
import dev.herald.notification.NotificationService;
import dev.herald.notification.ReceiptsHandler;
import dev.herald.notification.RecipientContent;
import dev.herald.observability.ApiDocsRoutes;
import dev.herald.observability.HealthRoutes;
import dev.herald.observability.Metrics;
import dev.herald.observability.RetentionPurge;
import dev.herald.observability.StatsRoutes;
import dev.herald.outbox.Outbox;
import dev.herald.preference.CategoryRoutes;
import dev.herald.preference.Digesting;
import dev.herald.preference.PreferenceRoutes;
import dev.herald.preference.Preferences;
import dev.herald.provider.ProviderModule;
import dev.herald.provider.ProviderRoutes;
import dev.herald.provider.ProviderSenders;
import dev.herald.provider.ProviderTrust;
import dev.herald.provider.Providers;
import dev.herald.provider.PushSenders;
import dev.herald.queue.DeadLetterRoutes;
import dev.herald.queue.JobHandler;
import dev.herald.queue.JobRunner;
import dev.herald.queue.Lane;
import dev.herald.queue.LocalWakeSignal;
import dev.herald.queue.PostgresWakeSignal;
import dev.herald.queue.RetryPolicy;
import dev.herald.queue.SqlWorkQueue;
import dev.herald.queue.WakeSignal;
import dev.herald.queue.Workers;
import dev.herald.realtime.DeliveredMarker;
import dev.herald.realtime.EventBus;
import dev.herald.realtime.EventBuses;
import dev.herald.realtime.EventPublisher;
import dev.herald.realtime.Gateway;
import dev.herald.realtime.LocalEventBus;
import dev.herald.realtime.Presence;
import dev.herald.realtime.RealtimeRoutes;
import dev.herald.sdk.SdkRoutes;
import dev.herald.sms.SmsSender;
import dev.herald.sms.TwilioCallbacks;
import dev.herald.store.Database;
import dev.herald.store.Dialect;
import dev.herald.subscriber.SubscriberRepository;
import dev.herald.subscriber.SubscriberRoutes;
import dev.herald.template.TemplateRoutes;
import dev.herald.template.Templates;
import dev.herald.topic.TopicRepository;
import dev.herald.topic.TopicRoutes;
import dev.herald.web.Access;
import dev.herald.web.Cors;
import dev.herald.web.HttpServer;
import dev.herald.web.RateLimiter;
import dev.herald.web.Routes;
import dev.herald.webhook.Webhooks;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Herald process: configuration → storage → queue → services → routes, started and stopped in a
 * stated order. Wiring only; behaviour lives in the feature packages.
 */
public final class Herald implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Herald.class);

  private final HeraldConfig config;
  private final Clock clock;
  private final ChannelSenders senders;
  private final int fanOutPageSize;
  private Database db;
  private WakeSignal signal;
  private Workers workers;
  private Javalin http;
  private RetentionPurge purge;
  private Thread queueGauges;
  private Metrics metrics;
  private ProviderSenders providerSenders;
  private Webhooks webhooks;
  private EventBus bus;
  private EventPublisher publisher;
  private Gateway gateway;
  private Presence presence;
  private DeliveredMarker deliveredMarker;
  private volatile boolean ready;
  private boolean closed;

  private Herald(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.senders = b.senders;
    this.fanOutPageSize = b.fanOutPageSize;
  }

  public static Builder builder(HeraldConfig config) {
    return new Builder(config);
  }

  /** Options beyond the configuration: what tests and embedders may replace. */
  public static final class Builder {
    private final HeraldConfig config;
    private Clock clock = Clock.systemUTC();
    private ChannelSenders senders = new ChannelSenders();
    private int fanOutPageSize;

    private Builder(HeraldConfig config) {
      this.config = config;
      this.fanOutPageSize = config.fanOutPageSize();
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder senders(ChannelSenders senders) {
      this.senders = senders;
      return this;
    }

    public Builder fanOutPageSize(int size) {
      if (size < 1 || size > 5_000)
        throw new IllegalArgumentException("fan-out pages hold 1 to 5000 recipients");
      this.fanOutPageSize = size;
      return this;
    }

    public Herald build() {
      return new Herald(this);
    }
  }

  public Herald start() {
    long started = System.nanoTime();
    metrics = new Metrics();
    byte[] masterKey = MasterKey.load(config.masterKey(), config.dataDir());
    db = Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword());
    signal = db.dialect() == Dialect.POSTGRES ? new PostgresWakeSignal(db) : new LocalWakeSignal();
    SqlWorkQueue queue = new SqlWorkQueue(db, signal, clock);
    if (db.dialect() == Dialect.SQLITE && config.role().runsWorkers()) {
      // One process owns a SQLite file, so anything still leased was cut off by a crash.
      int released = db.write(tx -> queue.releaseAll(tx));
      if (released > 0)
        log.info("Resuming {} jobs that were running when Herald last stopped", released);
    }

    AppRepository apps = new AppRepository(db);
    AppService appService = new AppService(db, apps, clock);
    byte[] adminHash = Bootstrap.run(config, db, apps, appService);
    SubscriberTokens tokens = new SubscriberTokens(clock);
    KeyAuthenticator authenticator = new KeyAuthenticator(apps, tokens, adminHash, clock);
    appService.onRevoke(authenticator::forget);
    EgressGuard egress = new EgressGuard(config.allowPrivateEndpoints());
    Providers providers =
        ProviderModule.providers(db, masterKey, egress, config.publicUrl(), clock);
    ProviderTrust trust = ProviderTrust.load(config.providerCaFile());
    UnsubscribeTokens unsubscribeTokens = new UnsubscribeTokens(masterKey);
    UnsubscribeLinks unsubscribeLinks = new UnsubscribeLinks(config.publicUrl(), unsubscribeTokens);
    providerSenders =
        new ProviderSenders(providers)
            .add("email", "smtp", c -> SmtpSender.build(c, trust, egress, unsubscribeLinks, clock))
            .add("sms", "sms", c -> SmsSender.build(c, trust, config.publicUrl(), clock));
    PushSenders.addTo(providerSenders, trust, egress);
    senders.add(providerSenders);
    Access access = new Access(authenticator, new RateLimiter(config.rateLimitPerSecond(), clock));

    SubscriberRepository subscribers = new SubscriberRepository(db);
    TopicRepository topics = new TopicRepository(db, subscribers);
    DeviceRepository devices = new DeviceRepository(db);
    webhooks =
        new Webhooks(
            db,
            queue,
            masterKey,
            egress,
            trust.sslContext(),
            clock,
            config.webhookDisableAfter(),
            config.providerConcurrency());
    Outbox outbox = new Outbox(clock, webhooks::wake);
    DeviceLifecycle lifecycle = new DeviceLifecycle(devices, outbox, metrics, clock);
    NotificationRepository notifications = new NotificationRepository(db, outbox);
    DeliveryRepository deliveries = new DeliveryRepository(db, outbox);
    Inbox inbox = new Inbox(new InboxRepository(db), new InboxEvents(db), clock);
    RetryPolicy retry = new RetryPolicy(config.retryBackoff());
    Templates templates = new Templates(db, clock);
    RecipientContent contents = new RecipientContent(db, templates, subscribers);

    Preferences preferences = new Preferences(db, clock, queue);
    FanOut fanOut =
        FanOut.create(
            db,
            notifications,
            deliveries,
            inbox,
            subscribers,
            devices,
            senders,
            preferences,
            queue,
            clock,
            config.jobLease(),
            metrics,
            fanOutPageSize,
            contents);
    DeliveryHandler deliver =
        new DeliveryHandler(
            notifications,
            deliveries,
            devices,
            lifecycle,
            senders,
            clock,
            metrics,
            queue,
            config.receiptDelay(),
            new Bulkheads(config.providerConcurrency()),
            contents);
    Escalations escalations = new Escalations(db, notifications, queue, clock, metrics);
    inbox.onRead(escalations);
    NotificationService service =
        new NotificationService(
            db,
            notifications,
            deliveries,
            subscribers,
            devices,
            queue,
            fanOut,
            clock,
            config.jobLease(),
            metrics,
            escalations);
    LateOutcomes lateOutcomes =
        new LateOutcomes(notifications, deliveries, lifecycle, clock, metrics);
    Map<String, JobHandler> handlers =
        Map.of(
            FanOut.KIND,
            fanOut,
            DeliveryJob.KIND,
            deliver,
            ReceiptsHandler.KIND,
            new ReceiptsHandler(deliveries, senders, lateOutcomes),
            EscalationRunner.KIND,
            new EscalationRunner(
                db,
                notifications,
                escalations,
                fanOut,
                queue,
                clock,
                config.jobLease(),
                fanOutPageSize),
            Webhooks.KIND,
            webhooks.handler(),
            Digesting.SWEEP_KIND,
            new DigestSweep(
                db,
                notifications,
                subscribers,
                contents,
                templates,
                fanOut,
                queue,
                clock,
                config.jobLease()));
    JobRunner runner =
        new JobRunner(db, queue, handlers, retry, config.dlqRetention(), clock, metrics);

    if (config.role().runsWorkers()) {
      Map<Lane, Integer> sizes =
          Map.of(
              Lane.CRITICAL,
              config.workers().critical(),
              Lane.IMPORTANT,
              config.workers().important(),
              Lane.BULK,
              config.workers().bulk());
      workers = new Workers(db, queue, signal, runner, sizes, config.jobLease(), clock);
      workers.start();
      purge =
          new RetentionPurge(
                  db, notifications, deliveries, inbox.items(), queue, config.retention(), clock)
              .also(webhooks::purge);
      purge.start();
      webhooks.startRelay();
    }
    queueGauges =
        Thread.ofPlatform()
            .name("herald-queue-gauges")
            .daemon()
            .start(() -> refreshQueueGauges(queue));

    // Live inbox: events go out on the bus after commit; this node's gateway holds its connections.
    bus = EventBuses.open(config, db);
    presence = new Presence(db, clock);
    deliveredMarker = new DeliveredMarker(db, notifications, metrics, clock);
    Gateway.Settings live =
        new Gateway.Settings(
            config.maxConnectionsPerSubscriber(),
            Gateway.Settings.DEFAULT.bufferSize(),
            Gateway.Settings.DEFAULT.heartbeat());
    gateway =
        new Gateway(
            inbox.events(), presence, deliveredMarker, metrics.websocketConnections(), live);
    presence.start(gateway::connected);
    bus.listen(gateway);
    publisher =
        new EventPublisher(
            bus, bus instanceof LocalEventBus ? gateway::connected : (app, sub) -> true);
    inbox.sink(publisher);

    // Every role serves health and metrics; only API roles serve the API.
    Map<String, Supplier<String>> checks = new LinkedHashMap<>();
    checks.put("database", () -> db.ping() ? "up" : "down");
    checks.put("queue", () -> workers == null ? "not_running" : "up");
    checks.put("bus", () -> bus.healthy() ? "up" : "down");
    checks.put("webpush", () -> "not_configured");
    List<Routes> routes = new ArrayList<>();
    routes.add(new HealthRoutes(checks, () -> ready, metrics::scrape));
    if (config.role().runsApi()) {
      Cors cors = new Cors(config.corsOrigins());
      routes.add(cors);
      routes.add(new ApiDocsRoutes());
      routes.add(new SdkRoutes());
      routes.add(new AppRoutes(access, apps, appService));
      routes.add(
          new SubscriberRoutes(access, db, subscribers, apps, tokens, clock, presence::online));
      routes.add(new TopicRoutes(access, db, topics, clock));
      routes.add(new DeviceRoutes(access, db, devices, subscribers, clock, egress, lifecycle));
      routes.add(
          new NotificationRoutes(
              access,
              db,
              service,
              notifications,
              deliveries,
              fanOut,
              runner,
              config.defaultTtl(),
              clock,
              templates,
              escalations));
      routes.add(new ProviderRoutes(access, providers));
      routes.add(new InboxRoutes(access, db, inbox));
      routes.add(new RealtimeRoutes(access, cors, db, inbox, gateway));
      routes.add(
          new EngagementRoutes(
              access, db, new Engagements(deliveries, notifications, inbox, outbox, clock)));
      routes.add(new PreferenceRoutes(access, preferences));
      routes.add(new CategoryRoutes(access, preferences));
      routes.add(new StatsRoutes(access, db, queue, clock));
      routes.add(new DeadLetterRoutes(access, db, queue, handlers, clock));
      routes.add(new UnsubscribeRoutes(unsubscribeTokens, db, preferences));
      routes.add(
          new TwilioCallbacks(config.publicUrl(), apps, providers, db, deliveries, lateOutcomes));
      routes.add(new TemplateRoutes(access, templates, subscribers));
      routes.add(webhooks.routes(access));
    }
    http = HttpServer.create(config, routes, metrics::http);
    http.start();
    ready = true;
    log.info(
        "Herald ready on port {} ({}, role {}) in {} ms",
        port(),
        db.dialect().name().toLowerCase(),
        config.role().name().toLowerCase(),
        (System.nanoTime() - started) / 1_000_000);
    return this;
  }

  private void refreshQueueGauges(SqlWorkQueue queue) {
    while (!closed) {
      try {
        metrics.queueSnapshot(queue.counts(Optional.<String>empty(), clock.millis()));
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.debug("Queue gauge refresh failed", e);
      }
    }
  }

  public int port() {
    return http == null ? -1 : http.port();
  }

  public boolean isReady() {
    return ready;
  }

  public Database database() {
    return db;
  }

  /** Wakes every lane's idle workers to look for due jobs, e.g. after an injected clock moved. */
  public void wakeWorkers() {
    if (signal != null) for (Lane lane : Lane.values()) signal.wake(lane);
  }

  /**
   * Graceful stop: not ready, stop taking requests (in-flight ones finish), let workers finish
   * in-flight jobs within the grace period and release the rest, then close storage.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    ready = false;
    log.info("Herald stopping");
    if (gateway != null) gateway.close();
    if (http != null) http.stop();
    if (workers != null) workers.stop(config.shutdownGrace());
    if (purge != null) purge.close();
    if (queueGauges != null) queueGauges.interrupt();
    if (providerSenders != null) providerSenders.close();
    if (webhooks != null) webhooks.close();
    if (publisher != null) publisher.close();
    if (bus != null) bus.close();
    if (deliveredMarker != null) deliveredMarker.close();
    if (presence != null) presence.close();
    if (signal != null) signal.close();
    if (db != null) db.close();
    log.info("Herald stopped");
  }
}
