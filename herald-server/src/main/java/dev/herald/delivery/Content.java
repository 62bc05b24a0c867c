package dev.herald.delivery;

import java.util.Map;

/**
 * What a notification says to one recipient. {@code email} and {@code sms} are the channel-specific
 * forms a template renders; without them, email and SMS senders derive theirs from title and body
 * ({@link #emailOrDefault}, {@link #smsOrDefault}).
 */
public record Content(
    String title,
    String body,
    Map<String, Object> data,
    String url,
    String image,
    Email email,
    String sms) {

  /** An email's subject and bodies; {@code html} may be null for a text-only message. */
  public record Email(String subject, String html, String text) {}

  public Content(String title, String body, Map<String, Object> data, String url, String image) {
    this(title, body, data, url, image, null, null);
  }

  public Email emailOrDefault() {
    if (email != null) return email;
    String text = body == null ? "" : body;
    return new Email(title == null ? "" : title, null, url == null ? text : text + "\n\n" + url);
  }

  public String smsOrDefault() {
    if (sms != null) return sms;
    if (title == null || title.isBlank()) return body == null ? "" : body;
    return body == null || body.isBlank() ? title : title + ": " + body;
  }
}
