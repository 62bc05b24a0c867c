package dev.herald.push.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebPushSubscriptionTest {
  private static final String ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc:def";

  @Test
  void aBrowsersSubscriptionHasNoProblem() {
    assertThat(
            new WebPushSubscription(ENDPOINT, Rfc8291Vector.UA_PUBLIC, Rfc8291Vector.AUTH)
                .problem())
        .isEmpty();
  }

  @Test
  void paddedOrStandardBase64KeysAreTolerated() {
    String standard = Rfc8291Vector.UA_PUBLIC.replace('-', '+').replace('_', '/') + "=";

    assertThat(new WebPushSubscription(ENDPOINT, standard, Rfc8291Vector.AUTH + "==").problem())
        .isEmpty();
  }

  @Test
  void missingPartsAreNamed() {
    assertThat(new WebPushSubscription(null, Rfc8291Vector.UA_PUBLIC, Rfc8291Vector.AUTH).problem())
        .hasValue("endpoint is missing");
    assertThat(new WebPushSubscription(ENDPOINT, null, Rfc8291Vector.AUTH).problem())
        .hasValue("p256dh key is missing");
    assertThat(new WebPushSubscription(ENDPOINT, Rfc8291Vector.UA_PUBLIC, "").problem())
        .hasValue("auth secret is missing");
  }

  @Test
  void anEndpointMustBeAnAbsoluteHttpUrl() {
    assertThat(
            new WebPushSubscription(
                    "ftp://push.example/x", Rfc8291Vector.UA_PUBLIC, Rfc8291Vector.AUTH)
                .problem())
        .hasValue("endpoint must be an absolute https URL");
    assertThat(
            new WebPushSubscription("/push/x", Rfc8291Vector.UA_PUBLIC, Rfc8291Vector.AUTH)
                .problem())
        .hasValue("endpoint must be an absolute https URL");
  }

  @Test
  void keysOfTheWrongShapeAreNamed() {
    assertThat(new WebPushSubscription(ENDPOINT, Rfc8291Vector.AUTH, Rfc8291Vector.AUTH).problem())
        .hasValueSatisfying(
            p -> assertThat(p).startsWith("p256dh key must be an uncompressed P-256 point"));
    assertThat(
            new WebPushSubscription(ENDPOINT, Rfc8291Vector.UA_PUBLIC, P256.base64Url(new byte[17]))
                .problem())
        .hasValue("auth secret must be 16 bytes, got 17");
  }

  @Test
  void aP256dhKeyOffTheCurveIsNamed() {
    byte[] point = Rfc8291Vector.b64(Rfc8291Vector.UA_PUBLIC);
    point[64] ^= 1;

    assertThat(
            new WebPushSubscription(ENDPOINT, P256.base64Url(point), Rfc8291Vector.AUTH).problem())
        .hasValue("p256dh key is not a point on the P-256 curve");
  }
}
