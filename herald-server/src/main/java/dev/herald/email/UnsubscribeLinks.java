package dev.herald.email;

import dev.herald.email.UnsubscribeTokens.Unsubscribe;

/**
 * The one-click unsubscribe URL for a recipient of a category: {@code
 * HERALD_PUBLIC_URL/v1/unsubscribe?t=…}.
 */
public final class UnsubscribeLinks {
  static final String PATH = "/v1/unsubscribe";

  private final String publicUrl;
  private final UnsubscribeTokens tokens;

  public UnsubscribeLinks(String publicUrl, UnsubscribeTokens tokens) {
    this.publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    this.tokens = tokens;
  }

  /** Tokens are base64url and a dot: nothing in them needs escaping in a query. */
  public String emailLink(String appId, String subscriberId, String category) {
    return publicUrl
        + PATH
        + "?t="
        + tokens.sign(new Unsubscribe(appId, subscriberId, category, "email"));
  }
}
