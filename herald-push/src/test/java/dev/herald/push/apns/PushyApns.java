package dev.herald.push.apns;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.PushNotificationHandlerFactory;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;
import dev.herald.testkit.apns.ApnsTeamKey;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import okhttp3.tls.HeldCertificate;

/**
 * Pushy's MockApnsServer, an APNs implementation independent of ours, on a free loopback port with
 * a self-signed certificate. It speaks h2 through ALPN, which non-Pushy clients need.
 */
final class PushyApns implements AutoCloseable {
  final HeldCertificate certificate =
      new HeldCertificate.Builder()
          .commonName("localhost")
          .addSubjectAlternativeName("localhost")
          .addSubjectAlternativeName("127.0.0.1")
          .build();

  /** The {@code authorization} header of every notification Pushy accepted. */
  final ConcurrentLinkedQueue<String> acceptedAuthorizations = new ConcurrentLinkedQueue<>();

  private final MockApnsServer server;
  final int port;

  private PushyApns(PushNotificationHandlerFactory handlers) throws Exception {
    server =
        new MockApnsServerBuilder()
            .setServerCredentials(
                new X509Certificate[] {certificate.certificate()},
                certificate.keyPair().getPrivate(),
                null)
            .setHandlerFactory(handlers)
            .setListener(new AuthorizationRecorder())
            .setUseAlpn(true)
            .build();
    port = server.start(0).get();
  }

  /**
   * Validates every notification as APNs would: the provider token must be signed by {@code key}
   * for {@code topic}, and the device token must be one of {@code tokens}; tokens in {@code
   * expired} answer 410 Unregistered.
   */
  static PushyApns validating(
      ApnsTeamKey key, String topic, Set<String> tokens, Map<String, Instant> expired)
      throws Exception {
    ApnsVerificationKey verification =
        new ApnsVerificationKey(key.keyId(), key.teamId(), key.publicKey());
    PushNotificationHandlerFactory validating =
        new ValidatingPushNotificationHandlerFactory(
            Map.of(topic, Set.copyOf(tokens)),
            expired,
            Map.of(key.keyId(), verification),
            Map.of(verification, Set.of(topic)));
    return new PushyApns(
        session -> {
          PushNotificationHandler handler = validating.buildHandler(session);
          return (headers, payload) ->
              handler.handlePushNotification(withDerSignature(headers), payload);
        });
  }

  /**
   * Pushy 0.15 signs and verifies ES256 in DER form, while RFC 7518 (and APNs' other clients) use
   * the 64-byte R||S form. Re-encoding the signature lets Pushy's validating handler check it; the
   * signature itself is unchanged, so a wrong key or payload still fails.
   */
  private static Http2Headers withDerSignature(Http2Headers headers) {
    CharSequence authorization = headers.get("authorization");
    if (authorization == null || !authorization.toString().startsWith("bearer ")) return headers;
    String[] parts = authorization.toString().substring("bearer ".length()).split("\\.");
    if (parts.length != 3) return headers;
    try {
      byte[] der = ECDSA.transcodeSignatureToDER(Base64.getUrlDecoder().decode(parts[2]));
      String token =
          parts[0]
              + "."
              + parts[1]
              + "."
              + Base64.getUrlEncoder().withoutPadding().encodeToString(der);
      return new DefaultHttp2Headers().add(headers).set("authorization", "bearer " + token);
    } catch (JOSEException | IllegalArgumentException e) {
      return headers;
    }
  }

  /** Accepts every notification (for measuring the client, not the server's checks). */
  static PushyApns acceptingAll() throws Exception {
    return new PushyApns(
        new com.eatthepath.pushy.apns.server.AcceptAllPushNotificationHandlerFactory());
  }

  List<String> authorizations() {
    return List.copyOf(acceptedAuthorizations);
  }

  @Override
  public void close() throws Exception {
    server.shutdown().get();
  }

  private final class AuthorizationRecorder implements MockApnsServerListener {
    @Override
    public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
      CharSequence authorization = headers.get("authorization");
      if (authorization != null) acceptedAuthorizations.add(authorization.toString());
    }

    @Override
    public void handlePushNotificationRejected(
        Http2Headers headers, ByteBuf payload, RejectionReason reason, Instant expiration) {}
  }
}
