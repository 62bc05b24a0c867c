package dev.herald.preference;

import dev.herald.preference.PreferenceRepository.Subject;
import dev.herald.preference.SubscriberPreferences.QuietHours;
import dev.herald.web.Times;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON answer for a subscriber's preferences: what they stored (the shape PUT takes) and the
 * effective state of every channel, globally and per category.
 */
final class PreferenceView {
  private PreferenceView() {}

  static Map<String, Object> of(
      String subscriberId, Subject subject, Map<String, CategorySettings> appCategories) {
    SubscriberPreferences p = subject.preferences();
    Map<String, Object> effective = new LinkedHashMap<>();
    effective.put("channels", channels(p, null, null));
    TreeSet<String> keys = new TreeSet<>(appCategories.keySet());
    keys.addAll(p.categories().keySet());
    Map<String, Object> categories = new TreeMap<>();
    for (String key : keys) {
      CategorySettings app = appCategories.get(key);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", app == null ? null : app.name());
      c.put("locked", app != null && app.locked());
      c.put("channels", channels(p, key, app));
      c.put("digest", Resolution.digest(p, key, app).map(DigestWindow::key).orElse(null));
      categories.put(key, c);
    }
    effective.put("categories", categories);
    effective.put("quiet_hours", quietHours(p.quietHours(), subject.timezone()));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("subscriber_id", subscriberId);
    view.put("preferences", p);
    view.put("effective", effective);
    view.put("updated_at", Times.iso(subject.updatedAt()));
    return view;
  }

  private static Map<String, Boolean> channels(
      SubscriberPreferences p, String category, CategorySettings app) {
    Map<String, Boolean> m = new TreeMap<>();
    for (String channel : Channels.ALL)
      m.put(channel, Resolution.enabled(p, category, app, channel));
    return m;
  }

  private static Map<String, Object> quietHours(QuietHours q, String subscriberZone) {
    if (q == null) return null;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", q.start());
    m.put("end", q.end());
    m.put("timezone", QuietWindow.of(q, subscriberZone).zone().getId());
    return m;
  }
}
