package dev.herald.provider;

import dev.herald.egress.EgressGuard;
import dev.herald.web.ApiException;
import dev.herald.web.Validation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a provider credentials body field by field, collecting every problem (named by its dotted
 * path) and refusing fields it does not know.
 */
final class Fields {
  private final Map<String, Object> body;
  private final String prefix;
  private final Validation validation;
  final Map<String, Object> out = new LinkedHashMap<>();

  Fields(Map<String, Object> body, Set<String> known) {
    this(body, "", new Validation(), known);
  }

  private Fields(
      Map<String, Object> body, String prefix, Validation validation, Set<String> known) {
    this.body = body == null ? Map.of() : body;
    this.prefix = prefix;
    this.validation = validation;
    for (String name : this.body.keySet()) {
      validation.check(known.contains(name), prefix + name, "unknown field");
    }
  }

  /** A string field; required ones report when missing or blank. */
  String text(String name, boolean required) {
    Object v = body.get(name);
    if (v == null) {
      validation.check(!required, prefix + name, "is required");
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      validation.check(false, prefix + name, "must be a non-empty string");
      return null;
    }
    out.put(name, s);
    return s;
  }

  /** A whole-number field within {@code min..max}; {@code fallback} when absent. */
  Integer integer(String name, int min, int max, Integer fallback) {
    Object v = body.get(name);
    if (v == null) {
      if (fallback != null) out.put(name, fallback);
      return fallback;
    }
    if (!(v instanceof Integer i) || i < min || i > max) {
      validation.check(false, prefix + name, "must be a whole number from " + min + " to " + max);
      return null;
    }
    out.put(name, i);
    return i;
  }

  /** One of {@code allowed}; {@code fallback} when absent. */
  String choice(String name, Set<String> allowed, String fallback) {
    String s = text(name, false);
    if (s == null && body.get(name) == null) {
      out.put(name, fallback);
      return fallback;
    }
    boolean ok = s != null && allowed.contains(s);
    validation.check(
        ok, prefix + name, "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
    return ok ? s : null;
  }

  /** An optional object of string values, each key checked by {@code key}. */
  Map<String, String> strings(
      String name, java.util.function.Predicate<String> key, String keyRule) {
    Object v = body.get(name);
    if (v == null) return Map.of();
    Map<String, String> values = new LinkedHashMap<>();
    if (!(v instanceof Map<?, ?> m)) {
      validation.check(false, prefix + name, "must be an object of strings");
      return values;
    }
    m.forEach(
        (k, value) -> {
          String field = prefix + name + "." + k;
          validation.check(key.test((String) k), field, keyRule);
          validation.check(
              value instanceof String s && !s.isEmpty(), field, "must be a non-empty string");
          if (value instanceof String s) values.put((String) k, s);
        });
    out.put(name, values);
    return values;
  }

  /** A nested object, read with its own known fields. */
  Fields object(String name, Set<String> known) {
    Object v = body.get(name);
    if (!(v instanceof Map<?, ?> m)) {
      validation.check(false, prefix + name, "is required and must be an object");
      return new Fields(Map.of(), prefix + name + ".", validation, known);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) m;
    Fields nested = new Fields(map, prefix + name + ".", validation, known);
    out.put(name, nested.out);
    return nested;
  }

  /** Keeps a field as given (e.g. extra service-account fields the provider library needs). */
  void keep(String name) {
    if (body.containsKey(name)) out.put(name, body.get(name));
  }

  /** An optional endpoint override the egress guard allows. */
  void endpoint(EgressGuard guard) {
    String url = text("endpoint", false);
    if (url != null)
      guard.refusal(url).ifPresent(why -> validation.check(false, prefix + "endpoint", why));
  }

  void check(boolean ok, String name, String message) {
    validation.check(ok, prefix + name, message);
  }

  void put(String name, Object value) {
    out.put(name, value);
  }

  Map<String, Object> result() {
    validation.throwIfInvalid();
    return out;
  }

  static ApiException invalid(String field, String message) {
    return ApiException.invalid(field, message);
  }
}
