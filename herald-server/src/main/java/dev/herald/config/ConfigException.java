package dev.herald.config;

/** A configuration value that cannot be used; the message says which variable and why. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
