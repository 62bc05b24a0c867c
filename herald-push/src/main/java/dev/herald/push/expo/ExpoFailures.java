package dev.herald.push.expo;

import dev.herald.push.PushResult;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Requests that got no answer: always retried. */
final class ExpoFailures {
  private ExpoFailures() {}

  static PushResult retry(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ExpoRequestException e && e.getCause() != null)
      cause = unwrap(e.getCause());
    String what =
        cause instanceof TimeoutException
            ? "timeout"
            : cause instanceof ConnectException ? "connect" : "network";
    if (cause instanceof ExpoRequestException e) return new PushResult.Retry(e.getMessage(), null);
    return new PushResult.Retry(what + ": " + describe(cause), null);
  }

  static String describe(Throwable t) {
    String message = unwrap(t).getMessage();
    String text = message == null ? unwrap(t).getClass().getSimpleName() : message;
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) t = t.getCause();
    return t;
  }
}
