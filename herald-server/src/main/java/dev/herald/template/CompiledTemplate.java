package dev.herald.template;

import dev.herald.delivery.Content;
import dev.herald.subscriber.Subscriber;
import dev.herald.web.Validation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One version of a template, checked and compiled: its locale variants and digest variants, the
 * locale fallback, and rendering. Immutable and thread-safe.
 *
 * <p>The render context is the send's {@code vars} at the top level ({@code {{name}}}) and the
 * recipient under {@code subscriber} ({@code id, email, phone, locale, timezone, attributes}); a
 * missing value renders empty. A locale resolves to the longest matching variant, then the default
 * one: {@code de-AT} → {@code de-AT}, {@code de}, {@code default_locale}. The chosen variant is
 * used whole; fields it lacks are not borrowed from another language.
 */
public final class CompiledTemplate {
  static final int MAX_LOCALES = 100;

  private final String key;
  private final int version;
  private final String defaultLocale;
  private final Map<String, CompiledVariant> locales; // by lower-cased tag
  private final Map<String, CompiledVariant> digest; // empty when the template has none

  private CompiledTemplate(
      String key,
      int version,
      String defaultLocale,
      Map<String, CompiledVariant> locales,
      Map<String, CompiledVariant> digest) {
    this.key = key;
    this.version = version;
    this.defaultLocale = defaultLocale;
    this.locales = locales;
    this.digest = digest;
  }

  /**
   * Checks and compiles a template. Throws {@link dev.herald.web.ApiException} (400) naming every
   * invalid field by its path, e.g. {@code locales.de.email.html}.
   */
  public static CompiledTemplate compile(String key, int version, TemplateSource source) {
    Validation v = new Validation();
    String defaultLocale = source.defaultLocale();
    v.check(defaultLocale != null, "default_locale", "is required");
    v.check(
        defaultLocale == null || Locales.wellFormed(defaultLocale),
        "default_locale",
        "must be a BCP 47 language tag such as en or de-AT");
    v.check(
        source.locales() != null && !source.locales().isEmpty(),
        "locales",
        "must have at least one locale");
    Map<String, CompiledVariant> locales = variants("locales", source.locales(), v);
    Map<String, CompiledVariant> digest = variants("digest", source.digest(), v);
    if (defaultLocale != null) {
      String def = Locales.key(defaultLocale);
      v.check(
          source.locales() == null || locales.containsKey(def),
          "default_locale",
          "must be one of the locales");
      v.check(
          source.digest() == null || digest.containsKey(def),
          "digest",
          "must have the default locale '" + defaultLocale + "' when present");
    }
    v.throwIfInvalid();
    return new CompiledTemplate(key, version, Locales.key(defaultLocale), locales, digest);
  }

  private static Map<String, CompiledVariant> variants(
      String path, Map<String, TemplateSource.Variant> source, Validation v) {
    Map<String, CompiledVariant> out = new LinkedHashMap<>();
    if (source == null) return out;
    v.check(source.size() <= MAX_LOCALES, path, "at most " + MAX_LOCALES + " locales");
    source.forEach(
        (tag, variant) -> {
          String field = path + "." + tag;
          if (!Locales.wellFormed(tag)) {
            v.check(false, field, "is not a BCP 47 language tag such as en or de-AT");
            return;
          }
          v.check(!out.containsKey(Locales.key(tag)), field, "is given twice (tags ignore case)");
          CompiledVariant compiled = CompiledVariant.compile(field, tag, variant, v);
          if (compiled != null) out.putIfAbsent(Locales.key(tag), compiled);
        });
    return out;
  }

  public String key() {
    return key;
  }

  public int version() {
    return version;
  }

  /** The locale tags of the template's variants, as written. */
  public List<String> locales() {
    return locales.values().stream().map(CompiledVariant::locale).toList();
  }

  /**
   * The variables a send's {@code vars} lacks, as {@code vars.name} (or {@code vars.order.id}):
   * every variable any locale variant uses outside a section, except {@code subscriber.…}. Section
   * names are conditions ({@code {{#coupon}}…{{/coupon}}} is skipped when {@code coupon} is
   * absent), and digest variants are not checked (a missing value there renders empty).
   */
  public List<String> missingVars(Map<String, Object> vars) {
    Set<String> missing = new TreeSet<>();
    for (CompiledVariant variant : locales.values()) {
      for (String name : variant.topLevelNames()) {
        if (!present(vars, name)) missing.add("vars." + name);
      }
    }
    return List.copyOf(missing);
  }

  /** A dotted name is present if each map on its path has the key; a non-map ends the check. */
  private static boolean present(Map<String, Object> vars, String name) {
    Object at = vars;
    for (String part : name.split("\\.")) {
      if (!(at instanceof Map<?, ?> m)) return true;
      if (!m.containsKey(part)) return false;
      at = m.get(part);
    }
    return true;
  }

  /**
   * Renders for a recipient in {@code locale} (null: the default locale); subscriber may be null.
   */
  public Rendered render(String locale, Map<String, Object> vars, Subscriber subscriber) {
    CompiledVariant v = resolve(locales, locale);
    return new Rendered(v.locale(), v.render(context(vars, subscriber)));
  }

  /**
   * Renders a digest of {@code items} with the {@code digest} variants (same fallback), the items
   * as {@code {{#items}}…{{/items}}} and their number as {@code {{count}}}; a template without
   * digest variants gets {@link #plainDigest}.
   */
  public Rendered renderDigest(
      String locale,
      Map<String, Object> vars,
      Subscriber subscriber,
      List<Map<String, Object>> items) {
    if (digest.isEmpty()) return plainDigest(items);
    CompiledVariant v = resolve(digest, locale);
    Map<String, Object> context = context(vars, subscriber);
    context.put("items", items);
    context.put("count", items.size());
    return new Rendered(v.locale(), v.render(context));
  }

  /**
   * The built-in digest, in English: the title "3 new notifications", and a body listing each
   * item's {@code title} (or {@code body}) on its own line.
   */
  public static Rendered plainDigest(List<Map<String, Object>> items) {
    String title = items.size() == 1 ? "1 new notification" : items.size() + " new notifications";
    List<String> lines = new ArrayList<>();
    for (Map<String, Object> item : items) {
      Object line = item.get("title") != null ? item.get("title") : item.get("body");
      if (line != null) lines.add("- " + line);
    }
    return new Rendered(null, new Content(title, String.join("\n", lines), Map.of(), null, null));
  }

  /**
   * A renderer for one send's recipients. A variant that does not refer to the subscriber is
   * rendered once and shared, so fanning out to many recipients costs one render per language.
   * Thread-safe.
   */
  public Renderer renderer(Map<String, Object> vars) {
    return new Renderer(vars);
  }

  public final class Renderer {
    private final Map<String, Object> vars;
    private final Map<CompiledVariant, Rendered> shared = new ConcurrentHashMap<>();

    private Renderer(Map<String, Object> vars) {
      this.vars = vars;
    }

    /**
     * The content for {@code subscriber} (null for a recipient known only by a device or token).
     */
    public Rendered render(Subscriber subscriber) {
      CompiledVariant v = resolve(locales, subscriber == null ? null : subscriber.locale());
      if (v.usesSubscriber()) return new Rendered(v.locale(), v.render(context(vars, subscriber)));
      return shared.computeIfAbsent(
          v, x -> new Rendered(x.locale(), x.render(context(vars, null))));
    }
  }

  private CompiledVariant resolve(Map<String, CompiledVariant> variants, String locale) {
    for (String tag : Locales.chain(locale)) {
      CompiledVariant v = variants.get(tag);
      if (v != null) return v;
    }
    return variants.get(defaultLocale);
  }

  private static Map<String, Object> context(Map<String, Object> vars, Subscriber s) {
    Map<String, Object> context = new HashMap<>(vars == null ? Map.of() : vars);
    Map<String, Object> subscriber = new HashMap<>();
    if (s != null) {
      subscriber.put("id", s.id());
      subscriber.put("email", s.email());
      subscriber.put("phone", s.phone());
      subscriber.put("locale", s.locale());
      subscriber.put("timezone", s.timezone());
      subscriber.put("attributes", s.attributes());
    }
    context.put("subscriber", subscriber);
    return context;
  }
}
