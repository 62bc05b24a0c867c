package dev.herald.notification;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Content;
import dev.herald.delivery.Delivery;
import dev.herald.device.Device;
import dev.herald.device.DeviceRepository;
import dev.herald.inbox.InboxItem;
import dev.herald.preference.PreferenceCheck;
import dev.herald.store.Dialect;
import dev.herald.store.Ids;
import dev.herald.subscriber.Subscriber;
import dev.herald.subscriber.SubscriberRepository;
import dev.herald.web.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Decides, from reads only, which deliveries and inbox items one page of an audience gets: one
 * delivery per recipient and channel, per device for push. Channels without a configured provider
 * and recipients without a device or address are planned as skipped with the reason; then the
 * recipients' preferences turn channels off or hold them for quiet hours.
 */
final class FanOutPlanner {
  static final String START = "";

  private final Dialect dialect;
  private final SubscriberRepository subscribers;
  private final DeviceRepository devices;
  private final ChannelSenders senders;
  private final PreferenceCheck preferences;
  private final RecipientContent contents;
  private final Clock clock;
  private final Ids ids;
  private final int pageSize;

  FanOutPlanner(
      Dialect dialect,
      SubscriberRepository subscribers,
      DeviceRepository devices,
      ChannelSenders senders,
      PreferenceCheck preferences,
      RecipientContent contents,
      Clock clock,
      int pageSize) {
    this.dialect = dialect;
    this.subscribers = subscribers;
    this.devices = devices;
    this.senders = senders;
    this.preferences = preferences;
    this.contents = contents;
    this.clock = clock;
    this.ids = new Ids(clock);
    this.pageSize = pageSize;
  }

  /**
   * One page's rows, planned before they are committed; {@code cursor} null means the start. {@code
   * heldUntil}: pending deliveries that wait for quiet hours to end (id → epoch millis).
   */
  record Plan(
      List<Delivery> deliveries,
      List<InboxItem> items,
      String nextCursor,
      int recipients,
      boolean last,
      Map<String, Long> heldUntil) {
    Plan withDeliveries(List<Delivery> rows) {
      return new Plan(rows, items, nextCursor, recipients, last, heldUntil);
    }
  }

  Plan page(Handle h, Notification n, String cursor) {
    return page(h, n, cursor, true);
  }

  /** One page; with {@code digests} false nothing is kept for a digest (a digest itself). */
  Plan page(Handle h, Notification n, String cursor, boolean digests) {
    Send send = n.send();
    List<Delivery> rows = new ArrayList<>();
    if (cursor == null) {
      explicitDevices(h, n, rows);
      tokens(h, n, rows);
    }
    String after = cursor == null ? START : cursor;
    boolean bySubscriber =
        !send.audience().subscribers().isEmpty() || send.audience().selectsBeyondList();
    if (!bySubscriber) return checked(h, n, rows, List.of(), START, 0, true, digests);
    List<String> page = AudienceQuery.page(h, dialect, n.appId(), send.audience(), after, pageSize);
    List<InboxItem> items = new ArrayList<>();
    subscriberRows(h, n, page, rows, items);
    boolean last = page.size() < pageSize;
    return checked(
        h, n, rows, items, page.isEmpty() ? after : page.getLast(), page.size(), last, digests);
  }

  /** In-app rows only, for explicitly listed subscribers of a send that also has a fan-out job. */
  Plan inAppOnly(Handle h, Notification n, List<String> subscriberIds) {
    List<Delivery> rows = new ArrayList<>();
    List<InboxItem> items = new ArrayList<>();
    Map<String, Subscriber> profiles =
        n.send().template() != null
            ? byId(subscribers.findAll(h, n.appId(), subscriberIds))
            : Map.of();
    Function<String, Content> content = contents.forRecipients(n, profiles);
    for (String sid : subscriberIds) inApp(n, sid, content.apply(sid), rows, items);
    return checked(h, n, rows, items, null, 0, false, true);
  }

  /** The page as its recipients' preferences leave it, judged at the time it is sent. */
  private Plan checked(
      Handle h,
      Notification n,
      List<Delivery> rows,
      List<InboxItem> items,
      String nextCursor,
      int recipients,
      boolean last,
      boolean digests) {
    long at = n.sendAt() == null ? clock.millis() : Math.max(clock.millis(), n.sendAt());
    PreferenceCheck.Checked c =
        preferences.apply(h, n.appId(), n.category(), n.lane(), rows, items, at, digests);
    return new Plan(c.rows(), c.items(), nextCursor, recipients, last, c.heldUntil());
  }

  private void subscriberRows(
      Handle h, Notification n, List<String> page, List<Delivery> rows, List<InboxItem> items) {
    Send send = n.send();
    Map<String, Subscriber> profiles =
        send.hasChannel("email") || send.hasChannel("sms") || send.template() != null
            ? byId(subscribers.findAll(h, n.appId(), page))
            : Map.of();
    Function<String, Content> content = contents.forRecipients(n, profiles);
    Map<String, List<Device>> byOwner =
        send.hasChannel("push")
            ? devices.activeFor(h, n.appId(), page).stream()
                .filter(d -> platformAllowed(send, d))
                .collect(
                    Collectors.groupingBy(
                        Device::subscriberId, LinkedHashMap::new, Collectors.toList()))
            : Map.of();
    for (String sid : page) {
      Optional<Subscriber> profile = Optional.ofNullable(profiles.get(sid));
      for (String channel : send.channels()) {
        switch (channel) {
          case "in_app" -> inApp(n, sid, content.apply(sid), rows, items);
          case "push" -> {
            List<Device> owned = byOwner.getOrDefault(sid, List.of());
            if (owned.isEmpty())
              rows.add(row(n, "s:" + sid, sid, "push", null, null, null, "skipped", "no_device"));
            for (Device d : owned) rows.add(push(n, d));
          }
          case "email" ->
              rows.add(
                  addressed(n, sid, "email", "smtp", profile.map(Subscriber::email).orElse(null)));
          case "sms" ->
              rows.add(
                  addressed(n, sid, "sms", "sms", profile.map(Subscriber::phone).orElse(null)));
          default -> throw new IllegalStateException("unknown channel " + channel);
        }
      }
    }
  }

  private static Map<String, Subscriber> byId(List<Subscriber> profiles) {
    return profiles.stream().collect(Collectors.toMap(Subscriber::id, Function.identity()));
  }

  private void explicitDevices(Handle h, Notification n, List<Delivery> rows) {
    for (Device d : devices.findAll(h, n.appId(), n.send().audience().devices()))
      explicitDevice(n, d, rows);
  }

  private void explicitDevice(Notification n, Device d, List<Delivery> rows) {
    if (!platformAllowed(n.send(), d)) return;
    rows.add(
        d.active()
            ? push(n, d)
            : row(
                n,
                "d:" + d.id(),
                d.subscriberId(),
                "push",
                d.provider(),
                d.id(),
                null,
                "skipped",
                "device_inactive"));
  }

  /**
   * A raw token that is a registered device's is planned as that device: the union stays one
   * delivery per device however else it is selected, and a deactivated device is not sent to.
   */
  private void tokens(Handle h, Notification n, List<Delivery> rows) {
    Map<String, List<String>> byProvider = new LinkedHashMap<>();
    for (Send.Token t : n.send().audience().tokens())
      byProvider.computeIfAbsent(t.provider(), p -> new ArrayList<>()).add(t.token());
    Map<String, Device> registered = new HashMap<>();
    byProvider.forEach(
        (provider, tokens) ->
            devices
                .findByTokens(h, n.appId(), provider, tokens)
                .forEach(d -> registered.put(d.provider() + ":" + d.token(), d)));
    for (Send.Token t : n.send().audience().tokens()) {
      Device d = registered.get(t.provider() + ":" + t.token());
      if (d != null) explicitDevice(n, d, rows);
      else
        rows.add(
            routed(
                n,
                "t:" + t.provider() + ":" + t.token(),
                null,
                "push",
                t.provider(),
                null,
                t.token()));
    }
  }

  private void inApp(
      Notification n, String sid, Content c, List<Delivery> rows, List<InboxItem> items) {
    rows.add(row(n, "s:" + sid, sid, "in_app", "inbox", null, null, "sent", null));
    items.add(
        new InboxItem(
            ids.next(),
            n.appId(),
            sid,
            n.id(),
            c.title(),
            c.body(),
            c.data().isEmpty() ? null : Json.write(c.data()),
            c.url(),
            c.image(),
            n.category(),
            null,
            null,
            clock.millis(),
            null));
  }

  private Delivery push(Notification n, Device d) {
    return routed(n, "d:" + d.id(), d.subscriberId(), "push", d.provider(), d.id(), null);
  }

  private Delivery addressed(
      Notification n, String sid, String channel, String provider, String address) {
    if (address == null)
      return row(n, "s:" + sid, sid, channel, provider, null, null, "skipped", "no_address");
    return routed(n, "s:" + sid, sid, channel, provider, null, address);
  }

  /**
   * Pending when a sender is configured for the channel and provider, else skipped with the reason.
   */
  private Delivery routed(
      Notification n,
      String key,
      String sid,
      String channel,
      String provider,
      String deviceId,
      String address) {
    boolean configured = senders.find(n.appId(), channel, provider).isPresent();
    return row(
        n,
        key,
        sid,
        channel,
        provider,
        deviceId,
        address,
        configured ? "pending" : "skipped",
        configured ? null : "provider_not_configured");
  }

  private Delivery row(
      Notification n,
      String key,
      String sid,
      String channel,
      String provider,
      String deviceId,
      String address,
      String status,
      String reason) {
    long now = clock.millis();
    return new Delivery(
        ids.next(),
        n.appId(),
        n.id(),
        key,
        sid,
        channel,
        provider,
        deviceId,
        address,
        status,
        reason,
        0,
        null,
        now,
        now);
  }

  private static boolean platformAllowed(Send send, Device d) {
    return send.platforms().isEmpty()
        || (d.platform() != null && send.platforms().contains(d.platform()));
  }
}
