package dev.herald.web;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** RFC 3339 UTC times on the wire; epoch milliseconds in storage. */
public final class Times {
  private Times() {}

  public static String iso(Long millis) {
    return millis == null
        ? null
        : DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis));
  }

  /** Parses an RFC 3339 time with an offset, answering 400 naming {@code field} otherwise. */
  public static long parse(String field, String text) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(field, "must be an RFC 3339 time such as 2026-12-01T09:00:00Z");
    }
  }
}
