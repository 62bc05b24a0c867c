package dev.herald.template;

import com.samskivert.mustache.Template;
import dev.herald.delivery.Content;
import dev.herald.web.Json;
import dev.herald.web.Validation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One locale's content compiled: every field a Mustache template (strings inside {@code data} too),
 * HTML-escaping only in {@code email.html}. Immutable and thread-safe.
 */
final class CompiledVariant {
  private static final Logger log = LoggerFactory.getLogger(CompiledVariant.class);

  private final String locale;
  private final Template title;
  private final Template body;
  private final Template url;
  private final Template image;
  private final Object data; // the data tree with each string replaced by its template
  private final Template subject;
  private final Template html;
  private final Template text;
  private final Template sms;
  private final Set<String> topLevelNames;
  private final boolean usesSubscriber;

  private CompiledVariant(Builder b) {
    this.locale = b.locale;
    this.title = b.title;
    this.body = b.body;
    this.url = b.url;
    this.image = b.image;
    this.data = b.data;
    this.subject = b.subject;
    this.html = b.html;
    this.text = b.text;
    this.sms = b.sms;
    this.topLevelNames = Collections.unmodifiableSet(b.names);
    this.usesSubscriber = b.usesSubscriber;
  }

  /**
   * Checks and compiles a variant; every problem is added to {@code v} under {@code path} (e.g.
   * {@code locales.de.email.html}). The answer is only usable if {@code v} stayed valid.
   */
  static CompiledVariant compile(
      String path, String locale, TemplateSource.Variant variant, Validation v) {
    if (variant == null) {
      v.check(false, path, "must be an object");
      return null;
    }
    Builder b = new Builder(locale, path, v);
    v.check(
        variant.title() != null
            || variant.body() != null
            || variant.email() != null
            || variant.sms() != null,
        path,
        "needs a title, a body, an email or an sms");
    b.title = b.text(variant.title(), "title", 1_000);
    b.body = b.text(variant.body(), "body", 10_000);
    b.url = b.text(variant.url(), "url", 2_048);
    b.image = b.text(variant.image(), "image", 2_048);
    if (variant.data() != null) {
      v.check(
          Json.write(variant.data()).length() <= 16 * 1024,
          path + ".data",
          "must be at most 16 KiB of JSON");
      b.data = b.data(variant.data(), "data");
    }
    TemplateSource.Email email = variant.email();
    if (email != null) {
      v.check(email.subject() != null, path + ".email.subject", "is required");
      v.check(
          email.html() != null || email.text() != null,
          path + ".email",
          "needs html, text or both");
      b.subject = b.text(email.subject(), "email.subject", 1_000);
      b.html = b.compile(email.html(), "email.html", 100_000, true);
      b.text = b.text(email.text(), "email.text", 100_000);
    }
    if (variant.sms() != null) {
      v.check(variant.sms().text() != null, path + ".sms.text", "is required");
      b.sms = b.text(variant.sms().text(), "sms.text", 1_600);
    }
    return new CompiledVariant(b);
  }

  String locale() {
    return locale;
  }

  /** Variables used outside sections, as written ({@code name}, {@code order.id}). */
  Set<String> topLevelNames() {
    return topLevelNames;
  }

  /** Whether anything refers to {@code subscriber}: if not, every recipient gets the same text. */
  boolean usesSubscriber() {
    return usesSubscriber;
  }

  Content render(Map<String, Object> context) {
    Content.Email email =
        subject == null
            ? null
            : new Content.Email(run(subject, context), run(html, context), run(text, context));
    @SuppressWarnings("unchecked")
    Map<String, Object> rendered =
        data == null ? Map.of() : (Map<String, Object>) renderData(data, context);
    return new Content(
        run(title, context),
        run(body, context),
        rendered,
        blankToNull(run(url, context)),
        blankToNull(run(image, context)),
        email,
        run(sms, context));
  }

  private static String run(Template t, Map<String, Object> context) {
    if (t == null) return null;
    try {
      return t.execute(context);
    } catch (RuntimeException e) {
      // Compiling refused what is known to fail (partials); anything else must not fail a send.
      log.warn("A template field failed to render and is left empty", e);
      return "";
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static Object renderData(Object node, Map<String, Object> context) {
    return switch (node) {
      case Template t -> run(t, context);
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put((String) k, renderData(val, context)));
        yield Collections.unmodifiableMap(out);
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>(l.size());
        for (Object x : l) out.add(renderData(x, context));
        yield Collections.unmodifiableList(out);
      }
      case null, default -> node;
    };
  }

  private static final class Builder {
    final String locale;
    final String path;
    final Validation v;
    final Set<String> names = new TreeSet<>();
    boolean usesSubscriber;
    Template title, body, url, image, subject, html, text, sms;
    Object data;

    Builder(String locale, String path, Validation v) {
      this.locale = locale;
      this.path = path;
      this.v = v;
    }

    Template text(String source, String field, int maxLength) {
      return compile(source, field, maxLength, false);
    }

    Template compile(String source, String field, int maxLength, boolean escapeHtml) {
      if (source == null) return null;
      String where = path + "." + field;
      if (source.length() > maxLength)
        return fail(where, "must be at most " + maxLength + " characters");
      Mustaches.Compiled c = Mustaches.compile(source, escapeHtml);
      if (c.problem() != null) return fail(where, c.problem());
      names.addAll(c.topLevelNames());
      usesSubscriber |= c.usesSubscriber();
      return c.template();
    }

    Object data(Object node, String field) {
      return switch (node) {
        case String s -> text(s, field, 16 * 1024);
        case Map<?, ?> m -> {
          Map<String, Object> out = new LinkedHashMap<>();
          m.forEach((k, val) -> out.put((String) k, data(val, field + "." + k)));
          yield out;
        }
        case List<?> l -> {
          List<Object> out = new ArrayList<>();
          for (int i = 0; i < l.size(); i++) out.add(data(l.get(i), field + "[" + i + "]"));
          yield out;
        }
        case null -> null;
        default -> node;
      };
    }

    private Template fail(String field, String message) {
      v.check(false, field, message);
      return null;
    }
  }
}
