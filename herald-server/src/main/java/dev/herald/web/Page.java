package dev.herald.web;

import java.util.List;
import java.util.function.Function;

/** A page of a list: {@code {"data": [...], "next_cursor": "…" | null}}. */
public record Page<T>(List<T> data, String nextCursor) {

  /**
   * Builds a page from rows fetched with {@code limit + 1}: the extra row only tells that another
   * page exists.
   */
  public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> position) {
    if (rows.size() <= limit) return new Page<>(rows, null);
    List<T> data = rows.subList(0, limit);
    return new Page<>(List.copyOf(data), Requests.encodeCursor(position.apply(data.getLast())));
  }

  public <R> Page<R> map(Function<T, R> f) {
    return new Page<>(data.stream().map(f).toList(), nextCursor);
  }
}
