package dev.herald.email;

import java.util.Map;

/** An app's {@code smtp} credentials as validated by {@code PUT /v1/providers/smtp}. */
record SmtpSettings(
    String host,
    int port,
    String tls,
    String username,
    String password,
    String from,
    String replyTo) {
  static SmtpSettings of(Map<String, Object> config) {
    return new SmtpSettings(
        (String) config.get("host"),
        (Integer) config.get("port"),
        (String) config.get("tls"),
        (String) config.get("username"),
        (String) config.get("password"),
        (String) config.get("from"),
        (String) config.get("reply_to"));
  }

  boolean authenticates() {
    return username != null;
  }
}
