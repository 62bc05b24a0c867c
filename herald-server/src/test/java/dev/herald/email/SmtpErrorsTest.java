package dev.herald.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.SendOutcome;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.SocketException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.junit.jupiter.api.Test;

class SmtpErrorsTest {
  static InternetAddress ada() throws AddressException {
    return new InternetAddress("ada@example.com");
  }

  /** As Angus reports refused recipients: "Invalid Addresses" with the server's reply chained. */
  static SendFailedException recipientRefused(int code, String reply) throws AddressException {
    SMTPAddressFailedException refused =
        new SMTPAddressFailedException(ada(), "RCPT TO:<ada@example.com>", code, reply);
    return new SendFailedException(
        "Invalid Addresses",
        refused,
        new jakarta.mail.Address[0],
        new jakarta.mail.Address[0],
        new jakarta.mail.Address[] {ada()});
  }

  @Test
  void aPermanentReplyAboutTheRecipientOrMessageRejectsIt() throws Exception {
    assertThat(SmtpErrors.outcome(recipientRefused(550, "550 5.1.1 User unknown\n")))
        .isEqualTo(new SendOutcome.Rejected("smtp 550 5.1.1 User unknown", false));
    assertThat(
            SmtpErrors.outcome(
                new SMTPSendFailedException(
                    "DATA", 552, "552 5.3.4 Message too big", null, null, null, null)))
        .isEqualTo(new SendOutcome.Rejected("smtp 552 5.3.4 Message too big", false));
    assertThat(SmtpErrors.outcome(new AddressException("Missing final '@domain'", "ada")))
        .isInstanceOf(SendOutcome.Rejected.class);
  }

  @Test
  void aTransientReplyOrABrokenConnectionIsRetried() throws Exception {
    assertThat(SmtpErrors.outcome(recipientRefused(451, "451 4.7.1 Greylisted, try later")))
        .isEqualTo(new SendOutcome.Retry("smtp 451 4.7.1 Greylisted, try later", null));
    MessagingException lost =
        new MessagingException(
            "Exception reading response", new SocketException("Connection reset"));
    assertThat(SmtpErrors.outcome(lost)).isInstanceOf(SendOutcome.Retry.class);
    assertThat(SmtpErrors.connectionLost(lost)).isTrue();
    MessagingException closing =
        new SMTPSendFailedException("DATA", 421, "421 4.3.2 Shutting down", null, null, null, null);
    assertThat(SmtpErrors.outcome(closing)).isInstanceOf(SendOutcome.Retry.class);
    assertThat(SmtpErrors.connectionLost(closing)).isTrue();
    assertThat(
            SmtpErrors.outcome(
                new MailConnectException(
                    new org.eclipse.angus.mail.util.SocketConnectException(
                        "refused",
                        new java.net.ConnectException("Connection refused"),
                        "127.0.0.1",
                        25,
                        10_000))))
        .isInstanceOf(SendOutcome.Retry.class);
    assertThat(SmtpErrors.connectionLost(recipientRefused(550, "550 no"))).isFalse();
  }

  @Test
  void refusedCredentialsSenderOrTlsAreTheAppsConfiguration() throws Exception {
    assertThat(
            SmtpErrors.outcome(
                new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid")))
        .isInstanceOf(SendOutcome.Misconfigured.class);
    assertThat(
            SmtpErrors.outcome(
                new SMTPSenderFailedException(
                    ada(), "MAIL FROM", 553, "553 5.7.1 Sender not owned by user")))
        .isEqualTo(
            new SendOutcome.Misconfigured(
                "SMTP server refused the from address: 553 5.7.1 Sender not owned by user"));
    assertThat(
            SmtpErrors.outcome(
                new SMTPSendFailedException(
                    "MAIL", 530, "530 5.7.0 Authentication required", null, null, null, null)))
        .isInstanceOf(SendOutcome.Misconfigured.class);
    assertThat(
            SmtpErrors.outcome(
                new MessagingException(
                    "Could not convert socket to TLS",
                    new SSLHandshakeException("PKIX path building failed"))))
        .isInstanceOf(SendOutcome.Misconfigured.class);
    assertThat(
            SmtpErrors.outcome(
                new MessagingException("STARTTLS is required but host does not support STARTTLS")))
        .isInstanceOf(SendOutcome.Misconfigured.class);
  }
}
