package dev.herald.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.Content;
import dev.herald.delivery.Message;
import dev.herald.queue.Lane;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EmailComposerTest {
  static final Session SESSION = Session.getInstance(new Properties());
  static final UnsubscribeTokens TOKENS = new UnsubscribeTokens(new byte[32]);
  static final EmailComposer COMPOSER =
      new EmailComposer(
          SESSION,
          new SmtpSettings("h", 587, "starttls", null, null, "Herald <news@example.com>", null),
          new UnsubscribeLinks("https://h.example/", TOKENS));

  static Message message(String subscriber, Content.Email email) {
    Content c = new Content("Title", "Body", Map.of(), null, null, email, null);
    return new Message(
        "d1",
        "n1",
        "app1",
        subscriber,
        "email",
        "smtp",
        null,
        "ada@example.com",
        Map.of(),
        c,
        Lane.IMPORTANT,
        60,
        null,
        1,
        "weekly");
  }

  /** The message as it goes over the wire, read back. */
  static MimeMessage wire(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return new MimeMessage(SESSION, new ByteArrayInputStream(out.toByteArray()));
  }

  @Test
  void textAndHtmlGoAsMultipartAlternativeWithTheHtmlLast() throws Exception {
    MimeMessage m =
        wire(
            COMPOSER.compose(
                message(
                    "u1", new Content.Email("Grüße, Ada", "<p>Hallo <b>Ada</b></p>", "Hallo Ada")),
                new Date(0)));
    assertThat(m.getSubject()).isEqualTo("Grüße, Ada");
    assertThat(m.getContentType()).startsWith("multipart/alternative");
    MimeMultipart parts = (MimeMultipart) m.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain; charset=UTF-8");
    assertThat(parts.getBodyPart(0).getContent()).isEqualTo("Hallo Ada");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html; charset=UTF-8");
    assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<p>Hallo <b>Ada</b></p>");
    assertThat(m.getMessageID()).isEqualTo("<d1.herald@example.com>");
  }

  @Test
  void theUnsubscribeLinkCarriesASignedTokenForTheSubscriberAndCategory() throws Exception {
    MimeMessage m = COMPOSER.compose(message("u1", null), new Date(0));
    String header = m.getHeader("List-Unsubscribe", null);
    assertThat(header).startsWith("<https://h.example/v1/unsubscribe?t=").endsWith(">");
    String token = header.substring(header.indexOf("t=") + 2, header.length() - 1);
    assertThat(TOKENS.verify(token))
        .contains(new UnsubscribeTokens.Unsubscribe("app1", "u1", "weekly", "email"));
    assertThat(new UnsubscribeTokens(new byte[] {1, 2, 3}).verify(token))
        .as("another master key")
        .isEmpty();
    assertThat(m.getContentType()).startsWith("text/plain");
  }

  @Test
  void aRawRecipientWithoutSubscriberGetsNoUnsubscribeHeaders() throws Exception {
    MimeMessage m = COMPOSER.compose(message(null, null), new Date(0));
    assertThat(m.getHeader("List-Unsubscribe")).isNull();
    assertThat(m.getHeader("List-Unsubscribe-Post")).isNull();
  }

  @Test
  void anHtmlOnlyEmailGetsAReadableTextPart() {
    assertThat(EmailComposer.textOf("<h1>News</h1><p>One &amp; two</p>\n\n\n<p>Three<br>four</p>"))
        .isEqualTo("News\nOne & two\n\nThree\nfour");
  }
}
