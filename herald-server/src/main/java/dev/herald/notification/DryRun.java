package dev.herald.notification;

import dev.herald.delivery.Delivery;
import dev.herald.notification.Notification.Counts;
import dev.herald.preference.PreferenceCheck;
import dev.herald.sms.SmsSegments;
import dev.herald.template.Rendered;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a send would do, computed by planning every fan-out page without writing: recipients,
 * deliveries per channel and provider, what would be skipped and why, and the rendered content.
 */
final class DryRun {
  private DryRun() {}

  static Map<String, Object> run(FanOut fanOut, String appId, Send send, long now) {
    Notification n =
        new Notification(
            "dry-run",
            appId,
            NotificationStatus.QUEUED,
            send.lane(),
            send.category(),
            send,
            null,
            null,
            send.sendAt(),
            null,
            false,
            0,
            new Counts(0, 0, 0, 0, 0, 0, 0),
            now,
            now,
            null);
    long[] recipients = {0};
    Map<String, Long> push =
        new TreeMap<>(Map.of("apns", 0L, "fcm", 0L, "webpush", 0L, "expo", 0L));
    Map<String, Long> channels = new TreeMap<>(Map.of("in_app", 0L, "email", 0L, "sms", 0L));
    Map<String, Long> skipped =
        new TreeMap<>(
            Map.of(
                "preferences",
                0L,
                "quiet_hours",
                0L,
                "no_device",
                0L,
                "provider_not_configured",
                0L,
                "digested",
                0L));
    // A device selected twice (listed or by raw token, and through its subscriber) is one
    // delivery. Listed devices are all planned on the first page, so only its devices are kept.
    Set<String> firstPageDevices = new HashSet<>();
    boolean[] firstPage = {true};
    String[] firstRecipient = {null};
    fanOut.simulate(
        n,
        plan -> {
          recipients[0] += plan.recipients();
          for (Delivery d : plan.deliveries()) {
            if (firstRecipient[0] == null) firstRecipient[0] = d.subscriberId();
            if (d.deviceId() != null
                && (firstPage[0]
                    ? !firstPageDevices.add(d.deviceId())
                    : firstPageDevices.contains(d.deviceId()))) {
              continue;
            }
            // Deliveries held for quiet hours are not sent now: counted under skipped.quiet_hours.
            if (d.status().equals("skipped") || PreferenceCheck.QUIET_HOURS.equals(d.reason())) {
              skipped.merge(d.reason(), 1L, Long::sum);
            } else if (d.channel().equals("push")) {
              push.merge(d.provider(), 1L, Long::sum);
            } else {
              channels.merge(d.channel(), 1L, Long::sum);
            }
          }
          firstPage[0] = false;
        });
    Map<String, Object> deliveries = new LinkedHashMap<>();
    deliveries.put("in_app", channels.get("in_app"));
    deliveries.put("push", push);
    deliveries.put("email", channels.get("email"));
    deliveries.put("sms", channels.get("sms"));
    Map<String, Object> audience = new LinkedHashMap<>();
    audience.put("subscribers", recipients[0]);
    audience.put("devices", send.audience().devices().size());
    audience.put("tokens", send.audience().tokens().size());
    audience.put("deliveries", deliveries);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("dry_run", true);
    body.put("audience", audience);
    body.put("skipped", skipped);
    Map<String, Object> preview = new LinkedHashMap<>(preview(fanOut, n, firstRecipient[0]));
    if (send.hasChannel("sms")) preview.put("sms", smsPreview(smsText(preview, send)));
    body.put("preview", preview);
    return body;
  }

  /**
   * The SMS text a recipient gets: the template's rendered form, or derived from title and body.
   */
  private static String smsText(Map<String, Object> preview, Send send) {
    if (preview.get("sms") instanceof Map<?, ?> sms && sms.get("text") instanceof String text)
      return text;
    return send.content().smsOrDefault();
  }

  /**
   * The SMS text with what carriers will make of it: its encoding and how many segments it takes.
   */
  static Map<String, Object> smsPreview(String text) {
    SmsSegments.Count c = SmsSegments.count(text);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", text);
    m.put("encoding", c.encoding() == SmsSegments.Encoding.GSM7 ? "gsm7" : "ucs2");
    m.put("characters", c.characters());
    m.put("segments", c.segments());
    return m;
  }

  /**
   * The content as sent; for a template, rendered for the first recipient (in their locale), or in
   * the default locale when no recipient is a subscriber.
   */
  private static Map<String, Object> preview(FanOut fanOut, Notification n, String subscriberId) {
    Send.TemplateRef t = n.send().template();
    if (t == null) return NotificationViews.content(n.send());
    Rendered r = fanOut.preview(n, subscriberId);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("template", NotificationViews.template(t));
    m.put("locale", r.locale());
    m.put("subscriber_id", subscriberId);
    m.putAll(r.view());
    return m;
  }
}
