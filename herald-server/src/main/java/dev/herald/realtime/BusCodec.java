package dev.herald.realtime;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire form of bus messages, shared by the PostgreSQL and Redis buses: a payload is a format
 * line {@code h1} followed by one line per message, {@code app TAB subscriber TAB seq [TAB json]}.
 * Backslash, tab, newline and NUL inside a field are escaped ({@code \\ \t \n \0}), so raw tabs and
 * newlines only ever separate. JSON as Jackson writes it has none of them, so escaping costs a
 * scan. A message without a body has no fourth field. Thread-safe (stateless).
 */
final class BusCodec {
  private static final Logger log = LoggerFactory.getLogger(BusCodec.class);
  // Names the format, so a node of a later version can tell an older node's payloads apart.
  static final String FORMAT = "h1";

  private BusCodec() {}

  /**
   * Packs {@code messages} in order into as few payloads as fit {@code maxBytes} (UTF-8) each. A
   * message too big for a payload of its own travels without its body; one whose ids alone do not
   * fit is dropped and logged.
   */
  static List<String> pack(List<BusMessage> messages, int maxBytes) {
    List<String> payloads = new ArrayList<>();
    StringBuilder payload = new StringBuilder(FORMAT);
    int payloadBytes = FORMAT.length();
    for (BusMessage m : messages) {
      String line = encode(m);
      int lineBytes = utf8Length(line);
      if (FORMAT.length() + 1 + lineBytes > maxBytes) {
        line = encode(m.withoutBody());
        lineBytes = utf8Length(line);
        if (FORMAT.length() + 1 + lineBytes > maxBytes) {
          log.warn("Dropped bus message seq {}: its ids alone exceed {} bytes", m.seq(), maxBytes);
          continue;
        }
      }
      if (payloadBytes + 1 + lineBytes > maxBytes) {
        payloads.add(payload.toString());
        payload.setLength(FORMAT.length());
        payloadBytes = FORMAT.length();
      }
      payload.append('\n').append(line);
      payloadBytes += 1 + lineBytes;
    }
    if (payload.length() > FORMAT.length()) payloads.add(payload.toString());
    return payloads;
  }

  /** The messages of one payload; a payload of another format or a malformed line is skipped. */
  static List<BusMessage> unpack(String payload) {
    String[] lines = payload.split("\n", -1);
    if (!lines[0].equals(FORMAT)) {
      log.debug("Ignoring a bus payload of unknown format '{}'", lines[0]);
      return List.of();
    }
    List<BusMessage> messages = new ArrayList<>(lines.length - 1);
    for (int i = 1; i < lines.length; i++) {
      BusMessage m = decode(lines[i]);
      if (m != null) messages.add(m);
    }
    return messages;
  }

  static String encode(BusMessage m) {
    StringBuilder b = new StringBuilder(64 + (m.json() == null ? 0 : m.json().length()));
    escape(m.appId(), b);
    b.append('\t');
    escape(m.subscriberId(), b);
    b.append('\t').append(m.seq());
    if (m.json() != null) {
      b.append('\t');
      escape(m.json(), b);
    }
    return b.toString();
  }

  static BusMessage decode(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 3 && f.length != 4) {
      log.debug("Ignoring a malformed bus line");
      return null;
    }
    try {
      long seq = Long.parseLong(f[2]);
      return new BusMessage(
          unescape(f[0]), unescape(f[1]), seq, f.length == 4 ? unescape(f[3]) : null);
    } catch (IllegalArgumentException e) {
      log.debug("Ignoring a malformed bus line: {}", e.getMessage());
      return null;
    }
  }

  private static void escape(String s, StringBuilder b) {
    int i = 0;
    while (i < s.length() && !special(s.charAt(i))) i++;
    b.append(s, 0, i); // most fields, and JSON as Jackson writes it, have nothing to escape
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\0' -> b.append("\\0");
        default -> b.append(c);
      }
    }
  }

  private static boolean special(char c) {
    return c == '\\' || c == '\t' || c == '\n' || c == '\0';
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i == s.length()) throw new IllegalArgumentException("dangling escape");
      b.append(
          switch (s.charAt(i)) {
            case '\\' -> '\\';
            case 't' -> '\t';
            case 'n' -> '\n';
            case '0' -> '\0';
            default -> throw new IllegalArgumentException("unknown escape \\" + s.charAt(i));
          });
    }
    return b.toString();
  }

  /** Bytes of {@code s} in UTF-8, without encoding it. */
  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }
}
