package dev.herald.preference;

import dev.herald.web.Validation;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An app's settings for one notification category, in the shape it PUTs them: a display name, the
 * channels that are off unless a subscriber turns them on, whether the category is locked (every
 * channel on, opt-outs and quiet hours ignored: security alerts, one-time codes), a throttle, and
 * the default digest window ({@code hourly} or {@code daily}; null sends at once).
 */
public record CategorySettings(
    String name,
    Map<String, Boolean> defaultChannels,
    boolean locked,
    Throttle throttle,
    String digest) {
  static final int MAX_NAME = 200;

  public CategorySettings {
    defaultChannels =
        defaultChannels == null
            ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(defaultChannels));
  }

  void check(Validation v) {
    v.maxLength(name, MAX_NAME, "name");
    SubscriberPreferences.checkChannels(v, defaultChannels, "default_channels");
    if (throttle != null) throttle.check(v);
    v.check(DigestWindow.valid(digest, false), "digest", "must be hourly, daily or null");
  }
}
