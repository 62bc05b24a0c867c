package dev.herald.push.apns;

/** Which APNs service a client talks to; a token registered in one is unknown to the other. */
public enum ApnsEnvironment {
  PRODUCTION("api.push.apple.com"),
  SANDBOX("api.sandbox.push.apple.com");

  /** APNs also listens on 2197 for networks that block 443. */
  public static final int PORT = 443;

  private final String host;

  ApnsEnvironment(String host) {
    this.host = host;
  }

  public String host() {
    return host;
  }
}
