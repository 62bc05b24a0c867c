package dev.herald.provider;

import java.util.Map;
import java.util.Set;

/**
 * One provider kind's credentials: how a {@code PUT /v1/providers/{kind}} body is checked and
 * normalised, and which fields are secret (GET answers them as {@code "<redacted>"}).
 */
interface ProviderSpec {
  String kind();

  /** The normalised configuration; throws ApiException naming each bad field. */
  Map<String, Object> validate(Map<String, Object> body);

  /** Dotted paths of secret fields, e.g. {@code service_account.private_key}. */
  Set<String> secretFields();
}
