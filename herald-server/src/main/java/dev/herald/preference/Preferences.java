package dev.herald.preference;

import dev.herald.preference.CategoryRepository.Category;
import dev.herald.queue.WorkQueue;
import dev.herald.store.Database;
import dev.herald.store.Tx;
import dev.herald.web.ApiException;
import dev.herald.web.ErrorCode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Preferences as the rest of Herald uses them: the fan-out checks ({@link #check()}, {@link
 * #throttling()}, {@link #digesting()}), opting a subscriber out (email one-click unsubscribe), and
 * what the routes read and write. Thread-safe.
 */
public final class Preferences {
  static final int MAX_CATEGORIES_PER_APP = 1_000;

  private final Database db;
  private final Clock clock;
  private final PreferenceRepository preferences = new PreferenceRepository();
  private final CategoryRepository categories = new CategoryRepository();
  private final CategoryCache cache;
  private final PreferenceCheck check;
  private final Throttling throttling;
  private final Digesting digesting;

  /** {@code queue} takes the digest sweeps that keeping notifications for a digest schedules. */
  public Preferences(Database db, Clock clock, WorkQueue queue) {
    this.db = db;
    this.clock = clock;
    this.cache = new CategoryCache(categories, clock);
    this.check = new PreferenceCheck(preferences, cache);
    DigestItems digestItems = new DigestItems(queue);
    this.throttling = new Throttling(new ThrottleRepository(), digestItems, cache, clock);
    this.digesting = new Digesting(digestItems);
  }

  public PreferenceCheck check() {
    return check;
  }

  public Throttling throttling() {
    return throttling;
  }

  /** What an opt-out did. */
  public enum OptOut {
    /** The channel is off for the category (or everywhere) from now on. */
    DONE,
    /** Stored, but the category is locked: its notifications keep coming until it is unlocked. */
    LOCKED,
    /** The subscriber no longer exists (erased): nothing was stored. */
    UNKNOWN_SUBSCRIBER
  }

  public Digesting digesting() {
    return digesting;
  }

  /**
   * Turns {@code channel} off for one subscriber, for {@code category} or (null) for every
   * category, inside the caller's transaction.
   *
   * @throws IllegalArgumentException for a channel that is not one of {@link Channels#ALL}
   */
  public OptOut optOut(Tx tx, String appId, String subscriberId, String category, String channel) {
    if (!Channels.ALL.contains(channel))
      throw new IllegalArgumentException("unknown channel " + channel);
    Optional<PreferenceRepository.Subject> subject =
        preferences.subject(tx.handle(), appId, subscriberId);
    if (subject.isEmpty()) return OptOut.UNKNOWN_SUBSCRIBER;
    preferences.save(
        tx,
        appId,
        subscriberId,
        subject.get().preferences().optOut(category, channel),
        clock.millis());
    CategorySettings settings = cache.get(tx.handle(), appId, category);
    return settings != null && settings.locked() ? OptOut.LOCKED : OptOut.DONE;
  }

  /** The subscriber's preferences view; empty when the subscriber does not exist. */
  Optional<Map<String, Object>> view(String appId, String subscriberId) {
    return db.read(
        h ->
            preferences
                .subject(h, appId, subscriberId)
                .map(s -> PreferenceView.of(subscriberId, s, cache.of(h, appId))));
  }

  /** Replaces the subscriber's preferences; empty when the subscriber does not exist. */
  Optional<Map<String, Object>> replace(
      String appId, String subscriberId, SubscriberPreferences p) {
    boolean saved =
        db.write(
            tx -> {
              if (preferences.subject(tx.handle(), appId, subscriberId).isEmpty()) return false;
              preferences.save(tx, appId, subscriberId, p, clock.millis());
              return true;
            });
    return saved ? view(appId, subscriberId) : Optional.empty();
  }

  Optional<Category> category(String appId, String key) {
    return db.read(h -> categories.find(h, appId, key));
  }

  List<Category> categories(String appId, Optional<String> after, int limit) {
    return db.read(h -> categories.list(h, appId, after, limit));
  }

  /** Creates or replaces a category; answers true when it is new. */
  boolean saveCategory(String appId, String key, CategorySettings settings) {
    return db.write(
        tx -> {
          boolean created = categories.save(tx, appId, key, settings, clock.millis());
          if (created && categories.count(tx.handle(), appId) > MAX_CATEGORIES_PER_APP) {
            throw new ApiException(
                ErrorCode.CONFLICT,
                "an app may define at most " + MAX_CATEGORIES_PER_APP + " categories");
          }
          tx.afterCommit(() -> cache.forget(appId));
          return created;
        });
  }

  boolean deleteCategory(String appId, String key) {
    return db.write(
        tx -> {
          boolean deleted = categories.delete(tx, appId, key);
          tx.afterCommit(() -> cache.forget(appId));
          return deleted;
        });
  }
}
