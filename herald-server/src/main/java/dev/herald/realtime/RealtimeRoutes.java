package dev.herald.realtime;

import dev.herald.inbox.Inbox;
import dev.herald.store.Database;
import dev.herald.web.Access;
import dev.herald.web.ApiException;
import dev.herald.web.Caller;
import dev.herald.web.Cors;
import dev.herald.web.ErrorCode;
import dev.herald.web.Json;
import dev.herald.web.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live inbox: WebSocket at {@code /v1/inbox/ws} and Server-Sent Events at {@code
 * /v1/inbox/events}, for a subscriber token ({@code ?token=} where headers cannot be set) or a
 * secret key with {@code ?subscriber_id=}. {@code ?since=} (or {@code Last-Event-ID}) replays what
 * the client missed before it goes live.
 */
public final class RealtimeRoutes implements Routes {
  private static final Logger log = LoggerFactory.getLogger(RealtimeRoutes.class);
  private static final String SUBSCRIBER = "herald.realtime.subscriber";
  private static final String SINCE = "herald.realtime.since";
  private static final String CONNECTION = "herald.realtime.connection";
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

  private final Access access;
  private final Cors cors;
  private final Database db;
  private final Inbox inbox;
  private final Gateway gateway;

  public RealtimeRoutes(Access access, Cors cors, Database db, Inbox inbox, Gateway gateway) {
    this.access = access;
    this.cors = cors;
    this.db = db;
    this.inbox = inbox;
    this.gateway = gateway;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/v1/inbox/events", this::sse);
    r.wsBeforeUpgrade("/v1/inbox/ws", this::admit);
    r.ws("/v1/inbox/ws", this::websocket);
  }

  /** Checks credentials, origin and the since parameter before any stream starts. */
  private void admit(Context ctx) {
    Caller.Subscriber who = access.subscriber(ctx);
    String origin = ctx.header("Origin");
    if (origin != null && !cors.allowsOrigin(origin) && !sameOrigin(origin, ctx.host())) {
      throw new ApiException(
          ErrorCode.FORBIDDEN, "origin " + origin + " may not connect (HERALD_CORS_ORIGINS)");
    }
    ctx.attribute(SUBSCRIBER, who);
    ctx.attribute(SINCE, since(ctx).orElse(null));
  }

  private void sse(Context ctx) throws Exception {
    admit(ctx);
    Caller.Subscriber who = ctx.attribute(SUBSCRIBER);
    SseTransport transport = new SseTransport(ctx.res().getOutputStream());
    Connection c = gateway.open(who.appId(), who.subscriberId(), transport);
    if (c == null) throw tooMany();
    try {
      ctx.status(200);
      ctx.res().setContentType("text/event-stream; charset=utf-8");
      ctx.res().setHeader("Cache-Control", "no-cache, no-transform");
      ctx.res().setHeader("X-Accel-Buffering", "no");
      ctx.res().flushBuffer();
      c.pump(ctx.attribute(SINCE), unread(who));
    } finally {
      gateway.closed(c);
    }
  }

  private void websocket(WsConfig ws) {
    ws.onConnect(
        ctx -> {
          Caller.Subscriber who = ctx.attribute(SUBSCRIBER);
          Long since = ctx.attribute(SINCE);
          ctx.session.setIdleTimeout(Duration.ofSeconds(90));
          WsTransport transport = new WsTransport(ctx.session, WRITE_TIMEOUT);
          Connection c = gateway.open(who.appId(), who.subscriberId(), transport);
          if (c == null) {
            ctx.closeSession(4029, "too many connections for this subscriber");
            return;
          }
          ctx.attribute(CONNECTION, c);
          long unread = unread(who);
          Thread.ofVirtual()
              .name("herald-ws-" + who.subscriberId())
              .start(
                  () -> {
                    try {
                      c.pump(since, unread);
                    } finally {
                      gateway.closed(c);
                    }
                  });
        });
    ws.onMessage(ctx -> command(ctx, ctx.message()));
    ws.onClose(ctx -> stop(ctx));
    ws.onError(ctx -> stop(ctx));
  }

  private static void stop(WsContext ctx) {
    Connection c = ctx.attribute(CONNECTION);
    if (c != null) c.stop();
  }

  /**
   * A state change sent over the socket, applied like its REST route; its event reaches every
   * connection.
   */
  private void command(WsContext ctx, String text) {
    Caller.Subscriber who = ctx.attribute(SUBSCRIBER);
    try {
      Map<String, Object> m = Json.map(text);
      String type = String.valueOf(m.get("type"));
      if (type.equals("read_all")) {
        db.write(tx -> inbox.readAll(tx, who.appId(), who.subscriberId()));
        return;
      }
      Inbox.Change change =
          switch (type) {
            case "read" -> Inbox.Change.READ;
            case "unread" -> Inbox.Change.UNREAD;
            case "archive" -> Inbox.Change.ARCHIVE;
            case "unarchive" -> Inbox.Change.UNARCHIVE;
            case "delete" -> Inbox.Change.DELETE;
            default ->
                throw ApiException.invalid(
                    "type", "must be read, unread, archive, unarchive, delete or read_all");
          };
      if (!(m.get("id") instanceof String id)) throw ApiException.invalid("id", "is required");
      if (db.write(tx -> inbox.change(tx, who.appId(), who.subscriberId(), id, change)).isEmpty()) {
        throw ApiException.notFound("inbox item");
      }
    } catch (ApiException e) {
      ctx.send(Connection.control("error", "code", e.code().code(), "detail", e.getMessage()));
    } catch (RuntimeException e) {
      log.debug("Bad WebSocket command", e);
      ctx.send(
          Connection.control(
              "error",
              "code",
              "invalid_request",
              "detail",
              "commands are JSON objects with a type"));
    }
  }

  private long unread(Caller.Subscriber who) {
    return inbox.counts(who.appId(), who.subscriberId()).get("unread");
  }

  private static Optional<Long> since(Context ctx) {
    String raw = ctx.queryParam("since");
    if (raw == null) raw = ctx.header("Last-Event-ID");
    if (raw == null || raw.isBlank()) return Optional.empty();
    try {
      long v = Long.parseLong(raw.trim());
      if (v < 0) throw new NumberFormatException();
      return Optional.of(v);
    } catch (NumberFormatException e) {
      throw ApiException.invalid("since", "must be a non-negative integer (an event seq)");
    }
  }

  private static boolean sameOrigin(String origin, String host) {
    try {
      URI u = URI.create(origin);
      String authority = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
      return host != null
          && (host.equalsIgnoreCase(authority) || host.equalsIgnoreCase(u.getHost()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static ApiException tooMany() {
    return new ApiException(
        ErrorCode.RATE_LIMITED, "too many live connections for this subscriber");
  }
}
