package dev.herald.preference;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.herald.web.Validation;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What one subscriber chose, in the shape they PUT it: channels on or off for everything, per
 * category, and a daily quiet window. A channel left out is not chosen and follows the app's
 * defaults. Immutable; maps are sorted so equal choices store alike.
 */
public record SubscriberPreferences(
    Map<String, Boolean> channels, Map<String, CategoryChoice> categories, QuietHours quietHours) {
  public static final SubscriberPreferences NONE =
      new SubscriberPreferences(Map.of(), Map.of(), null);
  static final int MAX_CATEGORIES = 200;

  public SubscriberPreferences {
    channels = sorted(channels);
    categories = sorted(categories);
  }

  /**
   * One category's choices: channels, and a digest window ({@code hourly}, {@code daily}, or {@code
   * off} to be sent at once) overriding the app's; null follows the app.
   */
  public record CategoryChoice(
      Map<String, Boolean> channels,
      // Left out when null, so choices stored before digests existed read and store alike.
      @JsonInclude(JsonInclude.Include.NON_NULL) String digest) {
    public CategoryChoice {
      channels = sorted(channels);
    }
  }

  /**
   * A daily window, {@code "HH:mm"} local times (the end may be earlier than the start: the window
   * crosses midnight), in {@code timezone} or, when it is null, the subscriber's time zone.
   */
  public record QuietHours(String start, String end, String timezone) {
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    void check(Validation v) {
      v.check(
          start != null && TIME.matcher(start).matches(),
          "quiet_hours.start",
          "must be a time HH:mm such as 22:00");
      v.check(
          end != null && TIME.matcher(end).matches(),
          "quiet_hours.end",
          "must be a time HH:mm such as 07:00");
      v.check(start == null || !start.equals(end), "quiet_hours.end", "must differ from start");
      v.check(
          timezone == null || ZoneId.getAvailableZoneIds().contains(timezone),
          "quiet_hours.timezone",
          "must be an IANA time zone such as Europe/Berlin");
    }
  }

  /**
   * The same choices with {@code channel} turned off, for {@code category} or (null) everywhere:
   * then categories the subscriber had turned the channel on for follow the global opt-out too,
   * since a category's choice would otherwise win over it.
   */
  public SubscriberPreferences optOut(String category, String channel) {
    if (category == null) {
      Map<String, Boolean> global = new TreeMap<>(channels);
      global.put(channel, false);
      Map<String, CategoryChoice> all = new TreeMap<>();
      categories.forEach(
          (key, choice) -> {
            Map<String, Boolean> rest = new TreeMap<>(choice.channels());
            if (Boolean.TRUE.equals(rest.get(channel))) rest.remove(channel);
            // The category's digest choice is not about this channel: it stays.
            if (!rest.isEmpty() || choice.digest() != null) {
              all.put(key, new CategoryChoice(rest, choice.digest()));
            }
          });
      return new SubscriberPreferences(global, all, quietHours);
    }
    CategoryChoice before = categories.getOrDefault(category, new CategoryChoice(null, null));
    Map<String, Boolean> chosen = new TreeMap<>(before.channels());
    chosen.put(channel, false);
    Map<String, CategoryChoice> all = new TreeMap<>(categories);
    all.put(category, new CategoryChoice(chosen, before.digest()));
    return new SubscriberPreferences(channels, all, quietHours);
  }

  /** Adds every invalid field to {@code v}. */
  void check(Validation v) {
    checkChannels(v, channels, "channels");
    v.check(
        categories.size() <= MAX_CATEGORIES,
        "categories",
        "may name at most " + MAX_CATEGORIES + " categories");
    categories.forEach(
        (key, choice) -> {
          String field = "categories." + key;
          v.check(
              Validation.KEY.matcher(key).matches(),
              field,
              "is not a category key (1-128 letters, digits and . _ : -)");
          if (choice == null) v.check(false, field, "must be an object");
          else {
            checkChannels(v, choice.channels(), field + ".channels");
            v.check(
                DigestWindow.valid(choice.digest(), true),
                field + ".digest",
                "must be hourly, daily, off or null");
          }
        });
    if (quietHours != null) quietHours.check(v);
  }

  static void checkChannels(Validation v, Map<String, Boolean> channels, String field) {
    channels.forEach(
        (channel, on) -> {
          v.check(
              Channels.ALL.contains(channel),
              field + "." + channel,
              "unknown channel; use " + Channels.allNamed());
          v.check(on != null, field + "." + channel, "must be true or false");
        });
  }

  // TreeMap, not Map.copyOf: nulls must survive until validation names them.
  private static <V> Map<String, V> sorted(Map<String, V> m) {
    return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
  }
}
