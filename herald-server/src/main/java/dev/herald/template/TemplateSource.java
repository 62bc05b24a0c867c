package dev.herald.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A template as its author writes it ({@code PUT /v1/templates/{key}}): content per locale, each
 * string a Mustache template, and optional digest variants. Stored as written once {@link
 * CompiledTemplate#compile} accepts it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateSource(
    String defaultLocale, Map<String, Variant> locales, Map<String, Variant> digest) {

  /** One locale's content: in-app and push fields, and optional email and SMS forms. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Variant(
      String title,
      String body,
      String url,
      String image,
      Map<String, Object> data,
      Email email,
      Sms sms) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Email(String subject, String html, String text) {}

  public record Sms(String text) {}
}
