package dev.herald.provider;

import dev.herald.egress.EgressGuard;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code smtp}: the app's mail server. {@code tls} is {@code starttls} unless set ({@code tls} is
 * implicit TLS, as on port 465; {@code none} only for a relay on a trusted network); the port
 * defaults to the one that goes with it. {@code from} and {@code reply_to} are RFC 5322 addresses,
 * optionally with a display name.
 */
final class SmtpSpec implements ProviderSpec {
  static final Set<String> TLS_MODES = Set.of("none", "starttls", "tls");
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}]");
  private final EgressGuard egress;

  SmtpSpec(EgressGuard egress) {
    this.egress = egress;
  }

  @Override
  public String kind() {
    return "smtp";
  }

  @Override
  public Set<String> secretFields() {
    return Set.of("password");
  }

  @Override
  public Map<String, Object> validate(Map<String, Object> body) {
    Fields f =
        new Fields(body, Set.of("host", "port", "tls", "username", "password", "from", "reply_to"));
    String host = f.text("host", true);
    if (host != null) {
      f.check(
          HOST.matcher(host).matches(),
          "host",
          "must be a host name or IP address, without scheme or port");
      if (HOST.matcher(host).matches())
        egress.refusalOfHost(host).ifPresent(why -> f.check(false, "host", why));
    }
    String tls = f.choice("tls", TLS_MODES, "starttls");
    f.integer(
        "port",
        1,
        65_535,
        tls == null
            ? null
            : switch (tls) {
              case "tls" -> 465;
              case "starttls" -> 587;
              default -> 25;
            });
    String username = f.text("username", false);
    String password = f.text("password", false);
    f.check(username != null || password == null, "username", "is required with a password");
    f.check(username == null || password != null, "password", "is required with a username");
    address(f, f.text("from", true), "from");
    address(f, f.text("reply_to", false), "reply_to");
    return f.result();
  }

  private static void address(Fields f, String value, String name) {
    if (value == null) return;
    try {
      InternetAddress a = new InternetAddress(value, true);
      f.check(
          a.getAddress().indexOf('@') > 0,
          name,
          "must name a full address such as Name <news@example.com>");
    } catch (AddressException e) {
      f.check(false, name, "must be an email address such as Name <news@example.com>");
    }
  }
}
