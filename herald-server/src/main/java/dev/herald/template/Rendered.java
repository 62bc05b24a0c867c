package dev.herald.template;

import dev.herald.delivery.Content;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A template rendered for one recipient.
 *
 * @param locale the locale variant used, as the template names it; null for the built-in digest
 * @param content title, body, url, image and data, with the email and SMS forms when the variant
 *     has them (null otherwise: senders then derive theirs from title and body)
 */
public record Rendered(String locale, Content content) {

  /**
   * The JSON shape of what each channel gets: {@code title, body, url, image, data} (in-app and
   * push), {@code email: {subject, html, text}} and {@code sms: {text}}, derived from title and
   * body where the template has no such form.
   */
  public Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", content.title());
    m.put("body", content.body());
    m.put("url", content.url());
    m.put("image", content.image());
    m.put("data", content.data());
    Content.Email email = content.emailOrDefault();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("subject", email.subject());
    e.put("html", email.html());
    e.put("text", email.text());
    m.put("email", e);
    m.put("sms", Map.of("text", content.smsOrDefault()));
    return m;
  }
}
