package dev.herald.web;

/** Who is calling, as established from the request's credentials. */
public sealed interface Caller {
  /** The instance administrator: manages apps. */
  record Admin() implements Caller {}

  /** A secret ({@code sk_}) or publishable ({@code pk_}) key of one app. */
  record AppKey(String appId, String keyId, boolean secret) implements Caller {}

  /** A client acting for one subscriber of one app, with a subscriber token. */
  record Subscriber(String appId, String subscriberId) implements Caller {}
}
