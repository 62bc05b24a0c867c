package dev.herald.notification;

import dev.herald.delivery.Content;
import dev.herald.device.DeviceTokens;
import dev.herald.notification.SendRequest.RawToken;
import dev.herald.provider.PushMessages;
import dev.herald.queue.Lane;
import dev.herald.template.CompiledTemplate;
import dev.herald.template.Templates;
import dev.herald.web.ApiException;
import dev.herald.web.ErrorCode;
import dev.herald.web.Json;
import dev.herald.web.Times;
import dev.herald.web.Validation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Turns a {@link SendRequest} into a {@link Send}, reporting every bad field at once. */
final class SendValidator {
  static final Set<String> CHANNELS = Set.of("push", "in_app", "email", "sms");
  static final List<String> DEFAULT_CHANNELS = List.of("in_app", "push");
  static final int MAX_LISTED = 10_000;
  static final int MAX_TOPICS = 100;
  static final int MAX_TTL_SECONDS = 28 * 24 * 3600;
  static final Duration MAX_SCHEDULE_AHEAD = Duration.ofDays(366);
  private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

  private final int defaultTtlSeconds;
  private final Templates templates;

  SendValidator(Duration defaultTtl, Templates templates) {
    this.defaultTtlSeconds = (int) defaultTtl.toSeconds();
    this.templates = templates;
  }

  Send validate(String appId, SendRequest r, long now) {
    Validation v = new Validation();
    SendRequest.To to = r.to();
    v.check(
        to != null,
        "to",
        "is required: name subscribers, topics, devices, tokens, a segment or all");
    Send.Audience audience = to == null ? emptyAudience() : audience(to, v);
    v.check(
        to == null || !isEmpty(audience),
        "to",
        "selects nobody: name subscribers, topics, devices, tokens, a segment or all");

    List<Send.Step> escalation = EscalationRules.validate(r, audience, v);
    // With escalation, the steps that go out at once are the channels (checked as steps).
    List<String> channels =
        r.escalation() != null
            ? EscalationRules.immediateChannels(escalation)
            : r.channels() == null ? defaultChannels(audience) : sorted(r.channels());
    v.check(
        r.escalation() != null || !channels.isEmpty(),
        "channels",
        "must name at least one channel");
    for (String c : channels)
      v.check(
          CHANNELS.contains(c),
          "channels",
          "unknown channel '" + c + "'; use push, in_app, email or sms");
    List<String> platforms = r.platforms() == null ? List.of() : sorted(r.platforms());
    for (String p : platforms)
      v.check(DeviceTokens.PLATFORMS.contains(p), "platforms", "unknown platform '" + p + "'");

    Lane lane = Lane.IMPORTANT;
    if (r.priority() != null) {
      lane = Lane.fromPriority(r.priority()).orElse(null);
      v.check(
          lane != null,
          "priority",
          "must be critical, important or bulk (or urgent, high, normal, low)");
      if (lane == null) lane = Lane.IMPORTANT;
    }
    v.check(
        r.category() == null || Validation.KEY.matcher(r.category()).matches(),
        "category",
        "must be 1-128 letters, digits or . _ : -");
    v.maxLength(r.title(), 1_000, "title")
        .maxLength(r.body(), 10_000, "body")
        .maxLength(r.url(), 2_048, "url")
        .maxLength(r.image(), 2_048, "image");
    v.check(
        r.data() == null || Json.write(r.data()).length() <= 16 * 1024,
        "data",
        "must be at most 16 KiB of JSON");
    Map<String, Object> vars = r.vars() == null ? Map.of() : r.vars();
    Optional<CompiledTemplate> template = template(appId, r.template(), vars, v);
    v.check(r.vars() == null || r.template() != null, "vars", "is only used with a template");
    v.check(
        r.title() != null || r.body() != null || r.template() != null,
        "title",
        "a notification needs a title, a body or a template");
    v.maxLength(r.collapseKey(), 64, "collapse_key");

    Long sendAt = null;
    if (r.sendAt() != null) {
      try {
        long at = Times.parse("send_at", r.sendAt());
        v.check(at <= now + MAX_SCHEDULE_AHEAD.toMillis(), "send_at", "must be within a year");
        if (at > now) sendAt = at;
      } catch (dev.herald.web.ApiException e) {
        v.add(e.errors());
      }
    }
    int ttl = r.ttlSeconds() == null ? defaultTtlSeconds : r.ttlSeconds();
    v.check(
        ttl >= 0 && ttl <= MAX_TTL_SECONDS, "ttl_seconds", "must be from 0 to " + MAX_TTL_SECONDS);
    boolean dryRun = Boolean.TRUE.equals(r.dryRun());
    boolean sync = Boolean.TRUE.equals(r.sync());
    v.check(!(dryRun && sync), "sync", "cannot be combined with dry_run");
    v.check(!(sync && sendAt != null), "sync", "cannot be combined with send_at");
    v.throwIfInvalid();
    Content content =
        new Content(
            r.title(), r.body(), r.data() == null ? Map.of() : r.data(), r.url(), r.image());
    // A template is measured in each of its languages, rendered with the send's vars.
    List<Content> pushed =
        template
            .map(
                t ->
                    t.locales().stream()
                        .map(
                            l -> RecipientContent.merge(content, t.render(l, vars, null).content()))
                        .toList())
            .orElse(List.of(content));
    boolean push =
        channels.contains("push") || escalation.stream().anyMatch(s -> s.channel().equals("push"));
    if (push
        && !pushed.stream()
            .allMatch(c -> PushMessages.fitsEveryProvider(c, ttl, r.collapseKey()))) {
      throw new ApiException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "the title, body, data, url and image are larger than push providers accept (4 KiB a message)",
          List.of(
              new ApiException.FieldError(
                  template.isPresent() ? "template" : "body", "too large for push")),
          Map.of());
    }
    return new Send(
        audience,
        channels,
        platforms,
        lane.key(),
        r.category(),
        content,
        sendAt,
        ttl,
        r.collapseKey(),
        template.map(t -> new Send.TemplateRef(t.key(), t.version(), vars)).orElse(null),
        escalation);
  }

  /**
   * The latest version of the named template, if it exists; reports an unknown key and each
   * variable the template uses that {@code vars} lacks ({@code vars.name}).
   */
  private Optional<CompiledTemplate> template(
      String appId, String key, Map<String, Object> vars, Validation v) {
    if (key == null) return Optional.empty();
    if (!Templates.KEY.matcher(key).matches()) {
      v.check(
          false, "template", "must be a template key (1-64 lower-case letters, digits or . _ -)");
      return Optional.empty();
    }
    v.check(Json.write(vars).length() <= 16 * 1024, "vars", "must be at most 16 KiB of JSON");
    v.check(
        !vars.containsKey("subscriber"),
        "vars.subscriber",
        "is reserved: the recipient is {{subscriber.…}}");
    Optional<CompiledTemplate> template = templates.latest(appId, key);
    v.check(template.isPresent(), "template", "unknown template '" + key + "'");
    template.ifPresent(
        t ->
            t.missingVars(vars)
                .forEach(
                    name ->
                        v.check(false, name, "is used by template '" + key + "' but not given")));
    return template;
  }

  private Send.Audience audience(SendRequest.To to, Validation v) {
    List<String> subscribers = sorted(nullToEmpty(to.subscribers()));
    v.check(subscribers.size() <= MAX_LISTED, "to.subscribers", "at most " + MAX_LISTED);
    for (int i = 0; i < nullToEmpty(to.subscribers()).size(); i++)
      v.id(to.subscribers().get(i), "to.subscribers[" + i + "]");
    List<String> topics = sorted(nullToEmpty(to.topics()));
    v.check(topics.size() <= MAX_TOPICS, "to.topics", "at most " + MAX_TOPICS);
    for (int i = 0; i < nullToEmpty(to.topics()).size(); i++) {
      String t = to.topics().get(i);
      v.check(
          t != null && Validation.KEY.matcher(t).matches(),
          "to.topics[" + i + "]",
          "must be a topic key");
    }
    List<String> devices = sorted(nullToEmpty(to.devices()));
    v.check(devices.size() <= MAX_LISTED, "to.devices", "at most " + MAX_LISTED);
    for (int i = 0; i < nullToEmpty(to.devices()).size(); i++)
      v.id(to.devices().get(i), "to.devices[" + i + "]");
    List<RawToken> raw = nullToEmpty(to.tokens());
    v.check(raw.size() <= MAX_LISTED, "to.tokens", "at most " + MAX_LISTED);
    TreeMap<String, Send.Token> tokens = new TreeMap<>();
    for (int i = 0; i < raw.size(); i++) {
      RawToken t = raw.get(i);
      String field = "to.tokens[" + i + "]";
      if (t == null) {
        v.check(false, field, "must be an object with provider and token");
        continue;
      }
      String provider =
          t.provider() != null ? t.provider() : DeviceTokens.infer(t.token()).orElse(null);
      if (provider == null
          || provider.equals("webpush")
          || !DeviceTokens.PROVIDERS.contains(provider)) {
        v.check(
            false,
            field + ".provider",
            "must be apns, fcm or expo (register Web Push subscriptions as devices)");
        continue;
      }
      v.add(DeviceTokens.checkToken(provider, t.token(), field + ".token"));
      tokens.put(provider + ":" + t.token(), new Send.Token(provider, t.token()));
    }
    Map<String, List<Object>> segment = new TreeMap<>();
    if (to.segment() != null) {
      Map<String, Object> attrs = to.segment().attributes();
      v.check(
          attrs != null && !attrs.isEmpty(),
          "to.segment.attributes",
          "must name at least one attribute");
      if (attrs != null) {
        v.check(attrs.size() <= 20, "to.segment.attributes", "at most 20 attributes");
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
          String field = "to.segment.attributes." + e.getKey();
          v.check(
              ATTRIBUTE.matcher(e.getKey()).matches(),
              field,
              "attribute names are 1-64 letters, digits or . _ -");
          List<Object> values =
              e.getValue() instanceof List<?> l
                  ? new ArrayList<>(l)
                  : new ArrayList<>(List.of(e.getValue() == null ? "" : e.getValue()));
          v.check(
              !values.isEmpty() && values.size() <= 100,
              field,
              "must be a value or a list of 1-100 values");
          boolean scalars =
              values.stream()
                  .allMatch(
                      o -> o instanceof String || o instanceof Number || o instanceof Boolean);
          v.check(scalars, field, "values must be strings, numbers or booleans");
          segment.put(e.getKey(), values);
        }
      }
    }
    return new Send.Audience(
        subscribers,
        topics,
        devices,
        List.copyOf(tokens.values()),
        segment,
        Boolean.TRUE.equals(to.all()));
  }

  private static List<String> defaultChannels(Send.Audience a) {
    boolean subscribers = !a.subscribers().isEmpty() || a.selectsBeyondList();
    return subscribers ? DEFAULT_CHANNELS.stream().sorted().toList() : List.of("push");
  }

  private static boolean isEmpty(Send.Audience a) {
    return a.subscribers().isEmpty()
        && a.devices().isEmpty()
        && a.tokens().isEmpty()
        && !a.selectsBeyondList();
  }

  private static Send.Audience emptyAudience() {
    return new Send.Audience(
        List.of(), List.of(), List.of(), List.of(), new LinkedHashMap<>(), false);
  }

  private static <T> List<T> nullToEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static List<String> sorted(List<String> l) {
    return new ArrayList<>(new TreeSet<>(l.stream().filter(java.util.Objects::nonNull).toList()));
  }
}
