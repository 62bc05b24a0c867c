package dev.herald.push.fcm;

/**
 * A service-account JSON that cannot be used, naming the offending field ({@code private_key},
 * {@code project_id}, …) so an API can answer 400 with it. The message never contains the key.
 */
public final class InvalidServiceAccountException extends IllegalArgumentException {
  private final String field;

  InvalidServiceAccountException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /**
   * The JSON field at fault, e.g. {@code "private_key"}; {@code "service_account"} for the whole.
   */
  public String field() {
    return field;
  }
}
