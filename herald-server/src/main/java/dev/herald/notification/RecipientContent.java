package dev.herald.notification;

import dev.herald.delivery.Content;
import dev.herald.store.Database;
import dev.herald.subscriber.Subscriber;
import dev.herald.subscriber.SubscriberRepository;
import dev.herald.template.CompiledTemplate;
import dev.herald.template.Rendered;
import dev.herald.template.Templates;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What each recipient of a notification is told: the send's own content, or its template's recorded
 * version rendered in the recipient's locale, with the send's explicit {@code title}, {@code body},
 * {@code url} and {@code image} taking precedence and its {@code data} keys laid over the
 * template's.
 */
public final class RecipientContent {
  private final Database db;
  private final Templates templates;
  private final SubscriberRepository subscribers;

  public RecipientContent(Database db, Templates templates, SubscriberRepository subscribers) {
    this.db = db;
    this.templates = templates;
    this.subscribers = subscribers;
  }

  /**
   * Content per recipient profile (null for a device or token without a subscriber). Without a
   * template every recipient gets the send's content and nothing is read.
   */
  public Function<Subscriber, Rendered> forNotification(Notification n) {
    Send send = n.send();
    Send.TemplateRef t = send.template();
    if (t == null) {
      Rendered same = new Rendered(null, send.content());
      return s -> same;
    }
    CompiledTemplate.Renderer renderer =
        templates.version(n.appId(), t.key(), t.version()).renderer(t.vars());
    return s -> {
      Rendered r = renderer.render(s);
      return new Rendered(r.locale(), merge(send.content(), r.content()));
    };
  }

  /**
   * Content per subscriber id (null for none), given the profiles read for them; an id without a
   * profile (a subscriber the send itself creates) renders with only its id.
   */
  Function<String, Content> forRecipients(Notification n, Map<String, Subscriber> profiles) {
    if (n.send().template() == null) return id -> n.send().content();
    Function<Subscriber, Rendered> content = forNotification(n);
    return id -> content.apply(id == null ? null : profile(n.appId(), profiles, id)).content();
  }

  /** Content per subscriber id for one batch, reading their profiles in one query if templated. */
  Function<String, Content> forSubscribers(Notification n, Collection<String> subscriberIds) {
    if (n.send().template() == null) return forRecipients(n, Map.of());
    return forRecipients(n, profiles(n.appId(), subscriberIds));
  }

  private Map<String, Subscriber> profiles(String appId, Collection<String> subscriberIds) {
    List<String> ids = subscriberIds.stream().filter(Objects::nonNull).distinct().toList();
    Map<String, Subscriber> profiles = new HashMap<>();
    if (!ids.isEmpty())
      db.read(h -> subscribers.findAll(h, appId, ids)).forEach(s -> profiles.put(s.id(), s));
    return profiles;
  }

  /** What one recipient (or, with a null id, a recipient without a subscriber) would get. */
  Rendered preview(Notification n, String subscriberId) {
    if (n.send().template() == null || subscriberId == null) return forNotification(n).apply(null);
    return forNotification(n)
        .apply(profile(n.appId(), profiles(n.appId(), List.of(subscriberId)), subscriberId));
  }

  private static Subscriber profile(String appId, Map<String, Subscriber> profiles, String id) {
    Subscriber s = profiles.get(id);
    return s != null ? s : new Subscriber(appId, id, null, null, null, null, Map.of(), 0, 0);
  }

  /** The send's explicit fields over the template's rendering. */
  static Content merge(Content explicit, Content rendered) {
    Map<String, Object> data = rendered.data();
    if (!explicit.data().isEmpty()) {
      data = new LinkedHashMap<>(rendered.data());
      data.putAll(explicit.data());
    }
    return new Content(
        explicit.title() != null ? explicit.title() : rendered.title(),
        explicit.body() != null ? explicit.body() : rendered.body(),
        data,
        explicit.url() != null ? explicit.url() : rendered.url(),
        explicit.image() != null ? explicit.image() : rendered.image(),
        rendered.email(),
        rendered.sms());
  }
}
