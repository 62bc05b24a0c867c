package dev.herald.push.fcm;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Google service account, parsed and checked from the JSON key file: the project to send for, the
 * account's email, its RSA private key and the token endpoint to exchange signed assertions at.
 * Immutable; {@link #toString()} leaves the key out.
 *
 * <p>Parsing fails with {@link InvalidServiceAccountException} naming the field: a missing or blank
 * {@code project_id} or {@code client_email}, a {@code type} other than {@code service_account}, a
 * {@code private_key} that is missing or not a PEM PKCS#8 RSA key, or a {@code token_uri} that is
 * not an absolute http(s) URI.
 */
public record FcmServiceAccount(
    String projectId,
    String clientEmail,
    String privateKeyId,
    PrivateKey privateKey,
    URI tokenUri) {

  public FcmServiceAccount {
    java.util.Objects.requireNonNull(projectId, "projectId");
    java.util.Objects.requireNonNull(clientEmail, "clientEmail");
    java.util.Objects.requireNonNull(privateKey, "privateKey");
    java.util.Objects.requireNonNull(tokenUri, "tokenUri");
  }

  /** Google's token endpoint, used when the JSON names none. */
  public static final URI GOOGLE_TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Parses the service-account JSON text. */
  public static FcmServiceAccount parse(String json) {
    if (json == null || json.isBlank())
      throw new InvalidServiceAccountException("service_account", "is empty");
    try {
      return fromTree(JSON.readTree(json));
    } catch (JacksonException e) {
      throw new InvalidServiceAccountException("service_account", "is not valid JSON");
    }
  }

  /** Reads the service account from a JSON object already parsed into maps and lists. */
  public static FcmServiceAccount from(Map<String, ?> json) {
    if (json == null) throw new InvalidServiceAccountException("service_account", "is missing");
    return fromTree(JSON.valueToTree(json));
  }

  private static FcmServiceAccount fromTree(JsonNode json) {
    if (!json.isObject())
      throw new InvalidServiceAccountException("service_account", "must be a JSON object");
    String type = optional(json, "type");
    if (type != null && !type.equals("service_account"))
      throw new InvalidServiceAccountException(
          "type", "must be \"service_account\", was \"" + type + "\"");
    String projectId = required(json, "project_id");
    String clientEmail = required(json, "client_email");
    if (!clientEmail.contains("@"))
      throw new InvalidServiceAccountException("client_email", "is not an email address");
    PrivateKey key = rsaKey(required(json, "private_key"));
    String tokenUri = optional(json, "token_uri");
    return new FcmServiceAccount(
        projectId,
        clientEmail,
        optional(json, "private_key_id"),
        key,
        tokenUri == null ? GOOGLE_TOKEN_URI : tokenUri(tokenUri));
  }

  private static String required(JsonNode json, String field) {
    String value = optional(json, field);
    if (value == null) throw new InvalidServiceAccountException(field, "is missing");
    return value;
  }

  private static String optional(JsonNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) return null;
    if (!node.isString()) throw new InvalidServiceAccountException(field, "must be a string");
    String value = node.asString().strip();
    return value.isEmpty() ? null : value;
  }

  private static PrivateKey rsaKey(String pem) {
    String body = pem.replace("\\n", "\n");
    int begin = body.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = body.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin)
      throw new InvalidServiceAccountException(
          "private_key", "is not a PEM \"BEGIN PRIVATE KEY\" (PKCS#8) block");
    String base64 = body.substring(begin + 27, end).replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new InvalidServiceAccountException("private_key", "does not parse as an RSA key");
    }
  }

  private static URI tokenUri(String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getHost() != null
          && ("https".equalsIgnoreCase(uri.getScheme())
              || "http".equalsIgnoreCase(uri.getScheme()))) return uri;
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new InvalidServiceAccountException("token_uri", "is not an absolute http(s) URI");
  }

  @Override
  public String toString() {
    return "FcmServiceAccount[projectId="
        + projectId
        + ", clientEmail="
        + clientEmail
        + ", privateKeyId="
        + privateKeyId
        + ", privateKey=<masked>, tokenUri="
        + tokenUri
        + "]";
  }
}
