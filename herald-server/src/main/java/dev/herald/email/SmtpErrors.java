package dev.herald.email;

import dev.herald.delivery.SendOutcome;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * What an SMTP failure means for the delivery: a 5xx reply about the recipient or the message is
 * permanent (bad address, mailbox gone, message refused); a 4xx reply, a dropped connection or a
 * server that cannot be reached is worth retrying; refused credentials, a refused sender address or
 * a TLS failure are the app's configuration, not the recipient's fault.
 */
final class SmtpErrors {
  private SmtpErrors() {}

  static SendOutcome outcome(MessagingException e) {
    if (e instanceof AuthenticationFailedException) {
      return new SendOutcome.Misconfigured("SMTP authentication failed: " + text(e));
    }
    if (e instanceof AddressException)
      return new SendOutcome.Rejected("invalid address: " + text(e), false);
    Reply reply = reply(e);
    if (reply.sender() && reply.code() >= 500) {
      return new SendOutcome.Misconfigured("SMTP server refused the from address: " + reply.text());
    }
    if (reply.code() == 530 || reply.code() == 534 || reply.code() == 535) {
      return new SendOutcome.Misconfigured(
          "SMTP server requires other credentials: " + reply.text());
    }
    if (reply.code() >= 500) return new SendOutcome.Rejected("smtp " + reply.text(), false);
    if (reply.code() >= 400) return new SendOutcome.Retry("smtp " + reply.text(), null);
    if (find(e, SSLException.class) != null)
      return new SendOutcome.Misconfigured("SMTP TLS failed: " + text(e));
    if (connectionLost(e)) return new SendOutcome.Retry("SMTP connection failed: " + text(e), null);
    if (text(e).contains("STARTTLS"))
      return new SendOutcome.Misconfigured("SMTP server: " + text(e));
    return new SendOutcome.Retry("SMTP: " + text(e), null);
  }

  /** True when the connection itself failed, so it must be replaced before the next message. */
  static boolean connectionLost(MessagingException e) {
    return find(e, IOException.class) != null || reply(e).code() == 421;
  }

  /** The SMTP reply a failure carries (code 0 when none), and whether it refused the sender. */
  record Reply(int code, String text, boolean sender) {}

  static Reply reply(MessagingException e) {
    SMTPSenderFailedException sender = find(e, SMTPSenderFailedException.class);
    if (sender != null)
      return new Reply(sender.getReturnCode(), replyText(sender.getReturnCode(), sender), true);
    SMTPAddressFailedException address = find(e, SMTPAddressFailedException.class);
    if (address != null)
      return new Reply(address.getReturnCode(), replyText(address.getReturnCode(), address), false);
    SMTPSendFailedException send = find(e, SMTPSendFailedException.class);
    if (send != null)
      return new Reply(send.getReturnCode(), replyText(send.getReturnCode(), send), false);
    return new Reply(0, text(e), false);
  }

  /** The first {@code type} among the exception, its chained next exceptions and their causes. */
  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (int depth = 0; e != null && depth < 10; depth++) {
      if (type.isInstance(e)) return type.cast(e);
      Throwable next =
          e instanceof MessagingException m && m.getNextException() != null
              ? m.getNextException()
              : e.getCause();
      if (next == e) return null;
      e = next;
    }
    return null;
  }

  private static String replyText(int code, Throwable e) {
    String t = text(e).strip();
    return t.startsWith(String.valueOf(code)) ? t : code + " " + t;
  }

  private static String text(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
    return m.length() > 300 ? m.substring(0, 300) : m.strip();
  }
}
