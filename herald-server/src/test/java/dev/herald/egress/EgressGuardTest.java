package dev.herald.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EgressGuardTest {
  /** A resolver with a fixed table, so no test depends on real DNS. */
  static final EgressGuard.Resolver TABLE =
      host -> {
        Map<String, String> names =
            Map.of(
                "push.example.com", "93.184.216.34",
                "rebind.example.com", "10.1.2.3",
                "v6.example.com", "2001:db8::1");
        String ip = names.get(host);
        if (ip != null) return new InetAddress[] {InetAddress.getByName(ip)};
        if (Character.isDigit(host.charAt(0)) || host.contains(":"))
          return new InetAddress[] {InetAddress.getByName(host)};
        throw new UnknownHostException(host);
      };

  final EgressGuard strict = new EgressGuard(false, TABLE);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://push.example.com/send/abc",
        "https://93.184.216.34/x",
        "https://v6.example.com:8443/p"
      })
  void publicHttpsEndpointsAreAllowed(String url) {
    assertThat(strict.refusal(url)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "http://push.example.com/x, must be an https URL",
    "https://127.0.0.1/x, resolves to a private",
    "https://[::1]/x, resolves to a private",
    "https://10.0.0.8/x, resolves to a private",
    "https://172.16.5.4/x, resolves to a private",
    "https://192.168.1.1/x, resolves to a private",
    "https://169.254.169.254/latest/meta-data, resolves to a private",
    "https://100.64.0.1/x, resolves to a private",
    "https://0.0.0.0/x, resolves to a private",
    "https://[fd00:ec2::254]/x, resolves to a private",
    "https://rebind.example.com/x, resolves to a private",
    "https://localhost:8080/x, points at a local",
    "https://metadata.google.internal/x, points at a local",
    "https://user:pw@push.example.com/x, may not carry credentials",
    "ftp://push.example.com/x, must be an https URL"
  })
  void internalOrMalformedEndpointsAreRefused(String url, String reason) {
    assertThat(strict.refusal(url)).hasValueSatisfying(r -> assertThat(r).contains(reason));
  }

  @org.junit.jupiter.api.Test
  void aNameThatDoesNotResolveMayRegisterButNotBeCalled() {
    assertThat(strict.refusal("https://nowhere.invalid/x")).isEmpty();
    assertThat(strict.refusalToCall("https://nowhere.invalid/x"))
        .hasValue("has a host name that does not resolve");
    assertThat(strict.refusalToCall("https://rebind.example.com/x")).isPresent();
    assertThat(strict.refusalToCall("https://push.example.com/x")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/push", "https://localhost/x", "http://10.0.0.1/x"})
  void privateEndpointsAreAllowedWhenConfigured(String url) {
    assertThat(new EgressGuard(true, TABLE).refusal(url)).isEmpty();
  }
}
