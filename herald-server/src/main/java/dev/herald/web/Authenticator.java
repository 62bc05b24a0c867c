package dev.herald.web;

import java.util.Optional;

/** Turns presented credentials into a {@link Caller}; empty when they are unknown or revoked. */
public interface Authenticator {
  Optional<Caller> key(String key);

  /** A subscriber token, optionally presented with the app's publishable key. */
  Optional<Caller.Subscriber> subscriberToken(String token, Optional<Caller.AppKey> publishable);
}
