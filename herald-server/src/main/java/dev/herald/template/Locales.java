package dev.herald.template;

import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;

/** BCP 47 language tags: whether one is well formed, and its fallback chain. */
final class Locales {
  private Locales() {}

  static boolean wellFormed(String tag) {
    if (tag == null || tag.isEmpty() || tag.length() > 64) return false;
    try {
      new Locale.Builder().setLanguageTag(tag);
      return true;
    } catch (IllformedLocaleException e) {
      return false;
    }
  }

  /** The tag, then each shorter prefix, lower-cased: {@code de-AT} → {@code de-at, de}. */
  static List<String> chain(String tag) {
    List<String> out = new ArrayList<>();
    if (tag == null || tag.isEmpty()) return out;
    String t = tag.toLowerCase(Locale.ROOT).replace('_', '-');
    while (!t.isEmpty()) {
      out.add(t);
      int dash = t.lastIndexOf('-');
      t = dash < 0 ? "" : t.substring(0, dash);
    }
    return out;
  }

  static String key(String tag) {
    return tag.toLowerCase(Locale.ROOT);
  }
}
