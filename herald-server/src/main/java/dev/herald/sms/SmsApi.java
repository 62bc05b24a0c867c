package dev.herald.sms;

import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import java.net.http.HttpRequest;
import java.time.Instant;

/** One SMS provider's HTTP API: the request for a message, and what its answer means. */
interface SmsApi {
  HttpRequest request(Message m, String text);

  SendOutcome outcome(int status, String body, String retryAfter, Instant now);
}
