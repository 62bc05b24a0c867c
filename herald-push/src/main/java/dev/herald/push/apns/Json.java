package dev.herald.push.apns;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small JSON writer for payloads: strings, booleans, integers, maps and collections are written
 * directly; anything else (doubles, beans, dates) goes through Jackson. It exists because it runs
 * for every notification, where setting up a Jackson generator costs more than the payload.
 */
final class Json {
  private static final JsonMapper JACKSON = JsonMapper.builder().build();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /**
   * Appends {@code value} as JSON.
   *
   * @throws tools.jackson.core.JacksonException when Jackson cannot write a value handed to it
   */
  static void value(StringBuilder out, Object value) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(out, s);
      case Boolean b -> out.append(b.booleanValue());
      case Integer i -> out.append(i.intValue());
      case Long l -> out.append(l.longValue());
      case Short s -> out.append(s.shortValue());
      case Byte b -> out.append(b.byteValue());
      case BigInteger i -> out.append(i);
      case Map<?, ?> map -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!first) out.append(',');
          first = false;
          string(out, String.valueOf(e.getKey()));
          out.append(':');
          value(out, e.getValue());
        }
        out.append('}');
      }
      case Collection<?> list -> {
        out.append('[');
        boolean first = true;
        for (Object item : list) {
          if (!first) out.append(',');
          first = false;
          value(out, item);
        }
        out.append(']');
      }
      default -> out.append(JACKSON.writeValueAsString(value));
    }
  }

  /** Appends {@code s} as a JSON string, escaping quotes, backslashes and control characters. */
  static void string(StringBuilder out, String s) {
    out.append('"');
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out.append(s, start, i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
      start = i + 1;
    }
    out.append(s, start, s.length()).append('"');
  }
}
