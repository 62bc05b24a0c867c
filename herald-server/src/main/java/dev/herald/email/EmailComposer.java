package dev.herald.email;

import dev.herald.delivery.Content;
import dev.herald.delivery.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.regex.Pattern;

/**
 * Turns one email delivery into a MIME message: {@code multipart/alternative} with the text part
 * first and the HTML part last (the one clients prefer), or plain text alone when there is no HTML;
 * a {@code Message-ID} made from the delivery id, so a retried send is recognisably the same
 * message; and, when the recipient is a subscriber, {@code List-Unsubscribe} with its one-click
 * companion (RFC 8058).
 */
final class EmailComposer {
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n\\s*(\\n\\s*)+");

  private final Session session;
  private final InternetAddress from;
  private final InternetAddress replyTo;
  private final UnsubscribeLinks links;

  EmailComposer(Session session, SmtpSettings settings, UnsubscribeLinks links) {
    this.session = session;
    this.links = links;
    try {
      this.from = new InternetAddress(settings.from(), true);
      this.replyTo =
          settings.replyTo() == null ? null : new InternetAddress(settings.replyTo(), true);
    } catch (MessagingException e) {
      throw new IllegalArgumentException("smtp from/reply_to were validated when stored", e);
    }
  }

  InternetAddress from() {
    return from;
  }

  MimeMessage compose(Message m, Date date) throws MessagingException {
    Content.Email email = m.content().emailOrDefault();
    MimeMessage mime = new FixedIdMessage(session, messageId(m.deliveryId()));
    mime.setFrom(from);
    if (replyTo != null) mime.setReplyTo(new InternetAddress[] {replyTo});
    mime.setRecipient(
        jakarta.mail.Message.RecipientType.TO, new InternetAddress(m.address(), true));
    mime.setSubject(email.subject(), StandardCharsets.UTF_8.name());
    mime.setSentDate(date);
    if (m.subscriberId() != null) {
      mime.setHeader(
          "List-Unsubscribe",
          "<" + links.emailLink(m.appId(), m.subscriberId(), m.category()) + ">");
      mime.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    String text = email.text() != null ? email.text() : textOf(email.html());
    if (email.html() == null) {
      mime.setText(text, StandardCharsets.UTF_8.name());
    } else {
      MimeMultipart alternative = new MimeMultipart("alternative");
      MimeBodyPart plain = new MimeBodyPart();
      plain.setText(text, StandardCharsets.UTF_8.name());
      MimeBodyPart html = new MimeBodyPart();
      html.setText(email.html(), StandardCharsets.UTF_8.name(), "html");
      alternative.addBodyPart(plain);
      alternative.addBodyPart(html);
      mime.setContent(alternative);
    }
    mime.saveChanges();
    return mime;
  }

  /** Unique per delivery, under the sender's domain as RFC 5322 suggests. */
  String messageId(String deliveryId) {
    String address = from.getAddress();
    return "<" + deliveryId + ".herald@" + address.substring(address.lastIndexOf('@') + 1) + ">";
  }

  /** A readable plain-text stand-in for an HTML-only message: its text without tags. */
  static String textOf(String html) {
    if (html == null) return "";
    String text =
        TAG.matcher(html.replaceAll("(?i)<br\\s*/?>|</p>|</div>|</h[1-6]>|</li>", "\n"))
            .replaceAll("");
    text =
        text.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
    return BLANK_LINES.matcher(text).replaceAll("\n\n").strip();
  }

  /** Keeps the Message-ID it was given instead of the random one Jakarta Mail would make. */
  private static final class FixedIdMessage extends MimeMessage {
    private final String id;

    FixedIdMessage(Session session, String id) {
      super(session);
      this.id = id;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", id);
    }
  }
}
