package dev.herald.egress;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps Herald from being used to reach its own network: Web Push endpoints, webhook URLs and
 * provider endpoints may not point at loopback, private, link-local (cloud metadata), multicast or
 * unspecified addresses, unless {@code HERALD_ALLOW_PRIVATE_ENDPOINTS=true} (tests, development).
 * Host names are resolved and every address checked. The check runs when an endpoint is registered
 * (where a name that does not resolve yet is let through: DNS may be briefly down, and nothing
 * internal is proven) and again before each send (where it must resolve).
 */
public final class EgressGuard {
  private static final Set<String> BLOCKED_NAMES =
      Set.of("localhost", "metadata.google.internal", "metadata");

  private final boolean allowPrivate;
  private final Resolver resolver;

  /** Name resolution, replaceable in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  public EgressGuard(boolean allowPrivate) {
    this(allowPrivate, InetAddress::getAllByName);
  }

  public EgressGuard(boolean allowPrivate, Resolver resolver) {
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  public boolean allowsPrivate() {
    return allowPrivate;
  }

  /** Why {@code url} may not be registered, or empty when it may. */
  public Optional<String> refusal(String url) {
    return refusal(url, false);
  }

  /** Why {@code url} may not be called now, or empty when it may; its name must resolve. */
  public Optional<String> refusalToCall(String url) {
    return refusal(url, true);
  }

  /** A connection the guard refuses: the host is internal or resolves to an internal address. */
  public static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * Resolves {@code host} for a connection about to be made and answers the addresses to connect
   * to, each checked: connecting to exactly these leaves no second lookup for a DNS answer that
   * changes after the check (rebinding).
   *
   * @throws UnknownHostException if the name does not resolve
   * @throws Refused if the name is internal or any address is, unless private endpoints are allowed
   */
  public List<InetAddress> resolveToCall(String host) throws IOException {
    String name = host.toLowerCase(Locale.ROOT);
    if (!allowPrivate && isInternalName(name)) {
      throw new Refused(host + " is a local or internal host");
    }
    InetAddress[] addresses =
        resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    for (InetAddress a : addresses) {
      if (!allowPrivate && isInternal(a)) {
        throw new Refused(
            host
                + " resolves to a private, loopback or link-local address ("
                + a.getHostAddress()
                + ")");
      }
    }
    return List.of(addresses);
  }

  private static boolean isInternalName(String name) {
    return BLOCKED_NAMES.contains(name)
        || name.endsWith(".localhost")
        || name.endsWith(".internal");
  }

  private Optional<String> refusal(String url, boolean mustResolve) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Optional.of("is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
      return Optional.of("must be an https URL");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) return Optional.of("has no host");
    if (uri.getUserInfo() != null) return Optional.of("may not carry credentials");
    return hostRefusal(host, mustResolve);
  }

  /** Why a connection to {@code host} (e.g. an SMTP server) may not be configured, or empty. */
  public Optional<String> refusalOfHost(String host) {
    return hostRefusal(host, false);
  }

  /** Why {@code host} may not be connected to now, or empty; its name must resolve. */
  public Optional<String> refusalToConnect(String host) {
    return hostRefusal(host, true);
  }

  private Optional<String> hostRefusal(String host, boolean mustResolve) {
    if (allowPrivate) return Optional.empty();
    String name = host.toLowerCase(Locale.ROOT);
    if (isInternalName(name)) {
      return Optional.of("points at a local or internal host");
    }
    InetAddress[] addresses;
    try {
      addresses =
          resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    } catch (UnknownHostException e) {
      return mustResolve ? Optional.of("has a host name that does not resolve") : Optional.empty();
    }
    for (InetAddress a : addresses) {
      if (isInternal(a))
        return Optional.of(
            "resolves to a private, loopback or link-local address (" + a.getHostAddress() + ")");
    }
    return Optional.empty();
  }

  static boolean isInternal(InetAddress a) {
    if (a.isLoopbackAddress()
        || a.isAnyLocalAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      // fc00::/7 unique local; ::ffff:0:0/96 mapped IPv4 is checked as IPv4 by the JDK already.
      return (b[0] & 0xfe) == 0xfc;
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    return first == 0 // "this" network
        || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
        || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
        || (first == 198 && (second == 18 || second == 19)) // benchmarking
        || first >= 240; // reserved and broadcast
  }
}
