package dev.herald.preference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.preference.SubscriberPreferences.CategoryChoice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The resolution order checked as properties over many generated subscribers and app settings: the
 * rules that define it, and what must follow from them.
 */
class ResolutionTest {
  private static final List<String> CATEGORIES = List.of("marketing", "orders", "security");
  private static final int CASES = 20_000;

  private final Random random = new Random(20260115);

  @Test
  void definingRulesHoldForEveryGeneratedCase() {
    for (int i = 0; i < CASES; i++) {
      SubscriberPreferences p = subscriber();
      CategorySettings app = appCategory();
      String category = category();
      String channel = channel();
      boolean on = Resolution.enabled(p, category, app, channel);
      String why = "%s, category %s, app %s, channel %s".formatted(p, category, app, channel);

      Boolean chosen =
          category == null || !p.categories().containsKey(category)
              ? null
              : p.categories().get(category).channels().get(channel);
      if (app != null && app.locked()) {
        assertThat(on).as("locked is on: " + why).isTrue();
      } else if (chosen != null) {
        assertThat(on).as("the category choice wins: " + why).isEqualTo(chosen);
      } else if (Boolean.FALSE.equals(p.channels().get(channel))) {
        assertThat(on).as("a global opt-out holds: " + why).isFalse();
      } else {
        boolean byDefault = app == null || app.defaultChannels().getOrDefault(channel, true);
        assertThat(on).as("the app default, else on: " + why).isEqualTo(byDefault);
      }
    }
  }

  @Test
  void optingOutNeverTurnsAChannelOn() {
    for (int i = 0; i < CASES; i++) {
      SubscriberPreferences p = subscriber();
      CategorySettings app = appCategory();
      String category = category();
      String channel = channel();
      SubscriberPreferences fewer = p.optOut(random.nextBoolean() ? category : null, channel());
      for (String c : Channels.ALL) {
        if (!Resolution.enabled(p, category, app, c)) {
          assertThat(Resolution.enabled(fewer, category, app, c))
              .as("%s then %s, %s", p, fewer, c)
              .isFalse();
        }
      }
      assertThat(Resolution.enabled(p.optOut(category, channel), category, app, channel))
          .as(
              "opting out of the very channel and category turns it off unless locked: %s %s",
              p, app)
          .isEqualTo(app != null && app.locked());
    }
  }

  @Test
  void aGlobalOptOutTurnsTheChannelOffInEveryCategoryThatIsNotLocked() {
    for (int i = 0; i < CASES; i++) {
      SubscriberPreferences p = subscriber();
      CategorySettings app = appCategory();
      String category = category();
      String channel = channel();
      assertThat(Resolution.enabled(p.optOut(null, channel), category, app, channel))
          .as("%s, category %s of %s, %s", p, category, app, channel)
          .isEqualTo(app != null && app.locked());
    }
  }

  @Test
  void choicesForOneCategoryOrChannelNeverChangeAnother() {
    for (int i = 0; i < CASES; i++) {
      SubscriberPreferences p = subscriber();
      CategorySettings app = appCategory();
      String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
      String other = CATEGORIES.get((CATEGORIES.indexOf(category) + 1) % CATEGORIES.size());
      String channel = channel();
      String otherChannel =
          Channels.ALL.get((Channels.ALL.indexOf(channel) + 1) % Channels.ALL.size());
      SubscriberPreferences changed = p.optOut(category, channel);
      assertThat(Resolution.enabled(changed, other, app, channel))
          .isEqualTo(Resolution.enabled(p, other, app, channel));
      assertThat(Resolution.enabled(changed, category, app, otherChannel))
          .isEqualTo(Resolution.enabled(p, category, app, otherChannel));
    }
  }

  @Test
  void aGlobalTrueIsTheSameAsNoGlobalChoice() {
    for (int i = 0; i < CASES; i++) {
      SubscriberPreferences p = subscriber();
      CategorySettings app = appCategory();
      String category = category();
      String channel = channel();
      Map<String, Boolean> withTrue = new HashMap<>(p.channels());
      withTrue.put(channel, true);
      Map<String, Boolean> without = new HashMap<>(p.channels());
      without.remove(channel);
      assertThat(
              Resolution.enabled(
                  new SubscriberPreferences(withTrue, p.categories(), null),
                  category,
                  app,
                  channel))
          .isEqualTo(
              Resolution.enabled(
                  new SubscriberPreferences(without, p.categories(), null),
                  category,
                  app,
                  channel));
    }
  }

  @Test
  void withoutAnyChoiceOrDefaultEveryChannelIsOn() {
    for (String channel : Channels.ALL) {
      assertThat(Resolution.enabled(SubscriberPreferences.NONE, null, null, channel)).isTrue();
      assertThat(Resolution.enabled(SubscriberPreferences.NONE, "orders", null, channel)).isTrue();
    }
  }

  private SubscriberPreferences subscriber() {
    Map<String, CategoryChoice> categories = new HashMap<>();
    for (String c : CATEGORIES)
      if (random.nextInt(3) == 0) categories.put(c, new CategoryChoice(channels(), null));
    return new SubscriberPreferences(channels(), categories, null);
  }

  private CategorySettings appCategory() {
    if (random.nextInt(4) == 0) return null;
    return new CategorySettings(null, channels(), random.nextInt(5) == 0, null, null);
  }

  /** Each channel absent, true or false. */
  private Map<String, Boolean> channels() {
    Map<String, Boolean> m = new HashMap<>();
    for (String c : Channels.ALL) {
      int pick = random.nextInt(3);
      if (pick > 0) m.put(c, pick == 1);
    }
    return m;
  }

  private String category() {
    int pick = random.nextInt(CATEGORIES.size() + 1);
    return pick == CATEGORIES.size() ? null : CATEGORIES.get(pick);
  }

  private String channel() {
    return Channels.ALL.get(random.nextInt(Channels.ALL.size()));
  }
}
