package dev.herald.push.apns;

import dev.herald.push.PushResult;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Stream;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * One request on one HTTP/2 stream, from queueing to its {@link PushResult}. Jetty calls the
 * listener methods on its threads; the result completes exactly once, and the stream's slot on its
 * connection is given back before it does.
 */
final class ApnsExchange implements Stream.Listener {
  // APNs error bodies are a few dozen bytes; anything past this is not an APNs answer.
  private static final int MAX_BODY = 8192;

  final ApnsRequest request;
  final String jwt;
  private final HttpField authorization;
  final CompletableFuture<PushResult> result = new CompletableFuture<>();
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile ApnsConnection connection;
  private int status;
  private String apnsId;
  private String retryAfter;
  private ByteArrayOutputStream body;

  ApnsExchange(ApnsRequest request, String jwt, HttpField authorization) {
    this.request = request;
    this.jwt = jwt;
    this.authorization = authorization;
  }

  HTTP2Stream.FrameList frames(String scheme, String host, int port, String topic) {
    HttpFields.Mutable fields =
        HttpFields.build(8)
            .put("apns-topic", topic)
            .put("apns-push-type", request.pushType())
            .put("apns-priority", request.priority() == 10 ? "10" : "5")
            .put("apns-expiration", Long.toString(request.expiration()))
            .put(authorization);
    if (request.collapseId() != null) fields.put("apns-collapse-id", request.collapseId());
    if (request.apnsId() != null) fields.put("apns-id", request.apnsId());
    byte[] payload = request.payload();
    MetaData.Request metaData =
        new MetaData.Request(
            "POST",
            HttpURI.from(scheme, host, port, request.path()),
            HttpVersion.HTTP_2,
            fields,
            payload.length);
    return new HTTP2Stream.FrameList(
        new HeadersFrame(metaData, null, false),
        new DataFrame(ByteBuffer.wrap(payload), true),
        null);
  }

  /** Called when the request leaves the queue for {@code on}. */
  void started(ApnsConnection on) {
    this.connection = on;
  }

  /** Jetty's answer to opening the stream; only a failure matters here. */
  Promise<Stream> streamPromise() {
    return Promise.from(
        stream -> {}, failure -> fail("cannot open a stream: " + describe(failure)));
  }

  @Override
  public void onHeaders(Stream stream, HeadersFrame frame) {
    if (frame.getMetaData() instanceof MetaData.Response response) {
      status = response.getStatus();
      HttpFields fields = response.getHttpFields();
      apnsId = fields.get("apns-id");
      retryAfter = fields.get("retry-after");
    }
    if (frame.isEndStream()) answered();
    else stream.demand();
  }

  @Override
  public void onDataAvailable(Stream stream) {
    while (true) {
      Stream.Data data = stream.readData();
      if (data == null) {
        stream.demand();
        return;
      }
      DataFrame frame = data.frame();
      ByteBuffer bytes = frame.getByteBuffer();
      if (body == null) body = new ByteArrayOutputStream(128);
      int room = MAX_BODY - body.size();
      if (room > 0 && bytes.hasRemaining()) {
        byte[] chunk = new byte[Math.min(room, bytes.remaining())];
        bytes.get(chunk);
        body.write(chunk, 0, chunk.length);
      }
      boolean last = frame.isEndStream();
      data.release();
      if (last) {
        answered();
        return;
      }
    }
  }

  @Override
  public void onReset(Stream stream, ResetFrame frame, Callback callback) {
    fail("APNs reset the stream (" + ErrorCode.toString(frame.getError(), "error") + ")");
    callback.succeeded();
  }

  @Override
  public void onIdleTimeout(Stream stream, TimeoutException x, Promise<Boolean> promise) {
    fail("no answer from APNs within " + Duration.ofMillis(stream.getIdleTimeout()));
    promise.succeeded(true);
  }

  @Override
  public void onFailure(
      Stream stream, int error, String reason, Throwable failure, Callback callback) {
    fail("stream failed: " + (reason != null ? reason : describe(failure)));
    callback.succeeded();
  }

  private void answered() {
    String reason =
        body == null ? null : ApnsErrors.reasonOf(body.toString(StandardCharsets.UTF_8));
    String id = apnsId != null ? apnsId : request.apnsId();
    complete(ApnsErrors.toResult(status, id, reason, ApnsErrors.retryAfterOf(retryAfter)));
  }

  /** A transient failure: the connection, the stream or a timeout, never an APNs verdict. */
  void fail(String reason) {
    complete(new PushResult.Retry(reason, null));
  }

  private void complete(PushResult outcome) {
    if (!done.compareAndSet(false, true)) return;
    ApnsConnection on = connection;
    if (on != null) on.finished(this);
    result.complete(outcome);
  }

  static String describe(Throwable failure) {
    if (failure == null) return "unknown";
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message != null ? ": " + message : "");
  }
}
