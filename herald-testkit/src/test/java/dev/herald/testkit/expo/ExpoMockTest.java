package dev.herald.testkit.expo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The mock seen from a plain HTTP client. */
class ExpoMockTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static ExpoMock expo;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    expo = ExpoMock.start();
    http = HttpClient.newBuilder().sslContext(expo.clientSslContext()).build();
  }

  @AfterAll
  static void stop() {
    http.close();
    expo.close();
  }

  @BeforeEach
  void reset() {
    expo.reset();
  }

  private static String messages(int count) {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < count; i++)
      body.append(i == 0 ? "" : ",")
          .append("{\"to\":\"ExponentPushToken[d")
          .append(i)
          .append("]\",\"body\":\"hi\"}");
    return body.append("]").toString();
  }

  private static HttpResponse<byte[]> post(String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(expo.endpoint().resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
    byte[] body = response.body();
    if (response.headers().firstValue("Content-Encoding").orElse("").equals("gzip"))
      body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
    return JSON.readTree(body);
  }

  private static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Test
  void aBatchGetsOneOkTicketPerMessageOverHttp2() throws Exception {
    HttpResponse<byte[]> response =
        post("/--/api/v2/push/send", messages(3).getBytes(StandardCharsets.UTF_8));

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    JsonNode data = json(response).path("data");
    assertThat(data.size()).isEqualTo(3);
    assertThat(data.get(0).path("status").asString()).isEqualTo("ok");
    assertThat(data.get(0).path("id").asString()).isNotBlank();
    assertThat(expo.messages()).hasSize(3);
  }

  @Test
  void aSingleMessageGetsASingleTicketObject() throws Exception {
    JsonNode data =
        json(post(
                "/--/api/v2/push/send",
                "{\"to\":\"ExponentPushToken[x]\",\"body\":\"hi\"}"
                    .getBytes(StandardCharsets.UTF_8)))
            .path("data");
    assertThat(data.isObject()).isTrue();
    assertThat(data.path("status").asString()).isEqualTo("ok");
  }

  @Test
  void moreThanAHundredMessagesAreRefusedWithExposError() throws Exception {
    HttpResponse<byte[]> response =
        post("/--/api/v2/push/send", messages(101).getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("errors").get(0).path("code").asString())
        .isEqualTo("PUSH_TOO_MANY_NOTIFICATIONS");
    assertThat(expo.sendRequests().getFirst().messages()).isEqualTo(101);
    assertThat(expo.messages()).isEmpty();
  }

  @Test
  void aGzippedBodyIsReadAndRecordedAsSuch() throws Exception {
    byte[] body = gzip(messages(50));
    HttpResponse<byte[]> response =
        post("/--/api/v2/push/send", body, "Content-Encoding", "gzip", "Accept-Encoding", "gzip");

    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(json(response).path("data").size()).isEqualTo(50);
    ExpoSendRequest recorded = expo.sendRequests().getFirst();
    assertThat(recorded.gzipped()).isTrue();
    assertThat(recorded.acceptsGzip()).isTrue();
    assertThat(recorded.wireBytes()).isEqualTo(body.length);
  }

  @Test
  void anInjectedTicketErrorHasExposShape() throws Exception {
    expo.failTicket("ExponentPushToken[d1]", ExpoError.DEVICE_NOT_REGISTERED);
    JsonNode ticket =
        json(post("/--/api/v2/push/send", messages(2).getBytes(StandardCharsets.UTF_8)))
            .path("data")
            .get(1);
    assertThat(ticket.path("status").asString()).isEqualTo("error");
    assertThat(ticket.path("details").path("error").asString()).isEqualTo("DeviceNotRegistered");
    assertThat(ticket.path("details").path("expoPushToken").asString())
        .isEqualTo("ExponentPushToken[d1]");
  }

  @Test
  void receiptsAnswerIssuedTicketsOnly() throws Exception {
    expo.failReceipt("ExponentPushToken[d0]", ExpoError.DEVICE_NOT_REGISTERED);
    JsonNode data =
        json(post("/--/api/v2/push/send", messages(2).getBytes(StandardCharsets.UTF_8)))
            .path("data");
    String gone = data.get(0).path("id").asString();
    String fine = data.get(1).path("id").asString();

    JsonNode receipts =
        json(post(
                "/--/api/v2/push/getReceipts",
                ("{\"ids\":[\"" + gone + "\",\"" + fine + "\",\"unknown\"]}")
                    .getBytes(StandardCharsets.UTF_8)))
            .path("data");

    assertThat(receipts.propertyNames()).containsExactlyInAnyOrder(gone, fine);
    assertThat(receipts.path(gone).path("details").path("error").asString())
        .isEqualTo("DeviceNotRegistered");
    assertThat(receipts.path(fine).path("status").asString()).isEqualTo("ok");
    assertThat(expo.receiptRequests()).containsExactly(3);
  }

  @Test
  void moreThanAThousandReceiptIdsAreRefused() throws Exception {
    StringBuilder ids = new StringBuilder("{\"ids\":[");
    for (int i = 0; i < 1001; i++)
      ids.append(i == 0 ? "" : ",").append("\"t").append(i).append("\"");
    HttpResponse<byte[]> response =
        post(
            "/--/api/v2/push/getReceipts",
            ids.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("errors").get(0).path("code").asString())
        .isEqualTo("PUSH_TOO_MANY_RECEIPTS");
  }

  @Test
  void withPushSecurityARequestWithoutTheTokenIsUnauthorized() throws Exception {
    expo.requireAccessToken("s3cret");
    HttpResponse<byte[]> refused =
        post("/--/api/v2/push/send", messages(1).getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> allowed =
        post(
            "/--/api/v2/push/send",
            messages(1).getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer s3cret");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(json(refused).path("errors").get(0).path("code").asString())
        .isEqualTo("UNAUTHORIZED");
    assertThat(allowed.statusCode()).isEqualTo(200);
  }

  @Test
  void tooManyRequestsCarriesRetryAfterThenPasses() throws Exception {
    expo.tooManyRequests(1);
    HttpResponse<byte[]> first =
        post("/--/api/v2/push/send", messages(1).getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> second =
        post("/--/api/v2/push/send", messages(1).getBytes(StandardCharsets.UTF_8));
    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(second.statusCode()).isEqualTo(200);
  }

  @Test
  void aBadFieldIsAValidationErrorNamingTheMessageIndex() throws Exception {
    String body =
        "[{\"to\":\"ExponentPushToken[a]\"},{\"to\":\"ExponentPushToken[b]\",\"priority\":\"urgent\"}]";
    HttpResponse<byte[]> response =
        post("/--/api/v2/push/send", body.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("errors").get(0).path("message").asString())
        .startsWith("\"[1].priority\"");
  }
}
