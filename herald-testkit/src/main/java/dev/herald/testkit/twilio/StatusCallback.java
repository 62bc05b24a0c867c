package dev.herald.testkit.twilio;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A status callback as Twilio would send it: to {@code url}, the form {@code params}, and the
 * {@code X-Twilio-Signature} computed with the account's auth token.
 */
public record StatusCallback(String url, Map<String, String> params, String signature) {
  /** The form body, URL-encoded. */
  public String formBody() {
    return params.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** The URL's path and query, to send to a server that is reached at another address. */
  public String pathAndQuery() {
    java.net.URI u = java.net.URI.create(url);
    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }
}
