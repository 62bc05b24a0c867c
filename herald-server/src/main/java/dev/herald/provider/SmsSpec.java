package dev.herald.provider;

import dev.herald.egress.EgressGuard;
import dev.herald.sms.PhoneNumbers;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code sms}: Twilio's Messages API ({@code "type": "twilio"}) or any HTTP endpoint that takes
 * Herald's JSON ({@code "type": "http"}). Twilio sends from a number, short code or alphanumeric
 * sender id ({@code from}) or a messaging service ({@code messaging_service_sid}), exactly one. The
 * HTTP provider's header values are secret (they usually carry its API key).
 */
final class SmsSpec implements ProviderSpec {
  private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-f]{32}");
  private static final Pattern SERVICE_SID = Pattern.compile("MG[0-9a-f]{32}");
  private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
  private static final Set<String> RESERVED_HEADERS =
      Set.of("content-type", "content-length", "host", "connection", "transfer-encoding");
  private final EgressGuard egress;

  SmsSpec(EgressGuard egress) {
    this.egress = egress;
  }

  @Override
  public String kind() {
    return "sms";
  }

  @Override
  public Set<String> secretFields() {
    return Set.of("auth_token", "headers.*");
  }

  @Override
  public Map<String, Object> validate(Map<String, Object> body) {
    Object type = body == null ? null : body.get("type");
    if ("http".equals(type)) return http(body);
    if (type == null || "twilio".equals(type)) return twilio(body);
    throw Fields.invalid("type", "must be twilio or http");
  }

  private Map<String, Object> twilio(Map<String, Object> body) {
    Fields f =
        new Fields(
            body,
            Set.of(
                "type", "account_sid", "auth_token", "from", "messaging_service_sid", "endpoint"));
    f.put("type", "twilio");
    String sid = f.text("account_sid", true);
    f.check(
        sid == null || ACCOUNT_SID.matcher(sid).matches(),
        "account_sid",
        "must be the account SID: AC and 32 hex digits");
    f.text("auth_token", true);
    String from = f.text("from", false);
    String service = f.text("messaging_service_sid", false);
    f.check(
        from != null || service != null,
        "from",
        "is required unless messaging_service_sid is given");
    f.check(
        from == null || service == null, "messaging_service_sid", "cannot be combined with from");
    f.check(
        from == null || PhoneNumbers.isSender(from),
        "from",
        "must be an E.164 number such as +14155550100, a short code, or an alphanumeric sender id of up to 11 characters");
    f.check(
        service == null || SERVICE_SID.matcher(service).matches(),
        "messaging_service_sid",
        "must be MG and 32 hex digits");
    f.endpoint(egress);
    return f.result();
  }

  private Map<String, Object> http(Map<String, Object> body) {
    Fields f = new Fields(body, Set.of("type", "url", "headers", "from"));
    f.put("type", "http");
    String url = f.text("url", true);
    if (url != null) egress.refusal(url).ifPresent(why -> f.check(false, "url", why));
    f.strings(
        "headers",
        name ->
            HEADER.matcher(name).matches()
                && !RESERVED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT)),
        "must be a header name Herald does not set itself");
    f.text("from", false);
    return f.result();
  }
}
