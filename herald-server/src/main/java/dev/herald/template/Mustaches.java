package dev.herald.template;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Mustache dialect templates are written in, and what a compiled template refers to. Values are
 * looked up in maps and lists only (never by reflection on Java objects); a missing or null value
 * renders empty; an empty string is false in a section.
 */
final class Mustaches {
  private static final Mustache.Compiler TEXT =
      Mustache.compiler()
          .escapeHTML(false)
          .defaultValue("")
          .emptyStringIsFalse(true)
          .withCollector(
              new BasicCollector() {
                @Override
                public <K, V> Map<K, V> createFetcherCache() {
                  return new ConcurrentHashMap<>(); // templates render on many threads
                }
              });
  private static final Mustache.Compiler HTML = TEXT.escapeHTML(true);

  private Mustaches() {}

  /** A compiled template with what it refers to; {@code problem} is null when it may be used. */
  record Compiled(
      Template template, Set<String> topLevelNames, boolean usesSubscriber, String problem) {}

  /** Compiles {@code source}, HTML-escaping variables when {@code html}. Never throws. */
  static Compiled compile(String source, boolean html) {
    Template t;
    try {
      t = (html ? HTML : TEXT).compile(source);
    } catch (MustacheException e) {
      return new Compiled(
          null, Set.of(), false, "is not a valid Mustache template: " + e.getMessage());
    } catch (RuntimeException e) {
      return new Compiled(
          null, Set.of(), false, "is not a valid Mustache template: a tag is empty or malformed");
    }
    TopLevel top = new TopLevel();
    t.visit(top);
    Everywhere all = new Everywhere();
    t.visit(all);
    String problem =
        all.partial != null
            ? "partials and parents ({{>" + all.partial + "}}) are not supported"
            : top.problem;
    return new Compiled(t, Set.copyOf(top.names), all.subscriber, problem);
  }

  static boolean isSubscriber(String name) {
    return name.equals("subscriber") || name.startsWith("subscriber.");
  }

  /** Variables outside every section: the ones a send must supply. Section names are conditions. */
  private static final class TopLevel implements Mustache.Visitor {
    final Set<String> names = new TreeSet<>();
    String problem;

    @Override
    public void visitText(String text) {}

    @Override
    public void visitVariable(String name) {
      if (name.equals(".") || name.equals("this")) {
        problem = "{{" + name + "}} may only be used inside a section";
      } else if (!name.startsWith("-") && !isSubscriber(name)) {
        names.add(name);
      }
    }

    @Override
    public boolean visitInclude(String name) {
      return false;
    }

    @Override
    public boolean visitSection(String name) {
      return false;
    }

    @Override
    public boolean visitInvertedSection(String name) {
      return false;
    }
  }

  /** Every name at any depth: whether the subscriber is used, and any partial. */
  private static final class Everywhere implements Mustache.Visitor {
    boolean subscriber;
    String partial;

    @Override
    public void visitText(String text) {}

    @Override
    public void visitVariable(String name) {
      subscriber |= isSubscriber(name);
    }

    @Override
    public boolean visitInclude(String name) {
      partial = name;
      return false;
    }

    @Override
    public boolean visitParent(String name) {
      partial = name;
      return false;
    }

    @Override
    public boolean visitSection(String name) {
      subscriber |= isSubscriber(name);
      return true;
    }

    @Override
    public boolean visitInvertedSection(String name) {
      subscriber |= isSubscriber(name);
      return true;
    }
  }
}
