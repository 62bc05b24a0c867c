package dev.herald.email;

import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.egress.EgressGuard;
import dev.herald.provider.ProviderSenders;
import dev.herald.provider.ProviderTrust;
import dev.herald.provider.Providers;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The email channel over the app's SMTP server: each batch goes over one pooled connection, one
 * message per recipient. A connection that drops mid-batch is replaced once and the message sent
 * again; failures are mapped by {@link SmtpErrors}.
 */
public final class SmtpSender implements DeliverySender {
  private final SmtpSettings settings;
  private final SmtpConnections connections;
  private final EmailComposer composer;
  private final EgressGuard egress;
  private final Clock clock;

  private SmtpSender(
      SmtpSettings settings,
      SmtpConnections connections,
      EmailComposer composer,
      EgressGuard egress,
      Clock clock) {
    this.settings = settings;
    this.connections = connections;
    this.composer = composer;
    this.egress = egress;
    this.clock = clock;
  }

  public static ProviderSenders.Built build(
      Providers.Credentials c,
      ProviderTrust trust,
      EgressGuard egress,
      UnsubscribeLinks links,
      Clock clock) {
    SmtpSettings settings = SmtpSettings.of(c.config());
    SmtpConnections connections = new SmtpConnections(settings, trust.sslContext(), clock);
    EmailComposer composer = new EmailComposer(connections.session(), settings, links);
    return new ProviderSenders.Built(
        new SmtpSender(settings, connections, composer, egress, clock), connections);
  }

  @Override
  public int batchSize() {
    return 50;
  }

  @Override
  public List<SendOutcome> send(List<Message> batch) {
    Optional<String> refusal = egress.refusalToConnect(settings.host());
    if (refusal.isPresent()) {
      SendOutcome o =
          refusal.get().contains("does not resolve")
              ? new SendOutcome.Retry("SMTP host " + refusal.get(), null)
              : new SendOutcome.Misconfigured("SMTP host " + refusal.get());
      return Collections.nCopies(batch.size(), o);
    }
    Transport transport;
    try {
      transport = connections.borrow();
    } catch (MessagingException e) {
      return Collections.nCopies(batch.size(), SmtpErrors.outcome(e));
    }
    List<SendOutcome> out = new ArrayList<>(batch.size());
    for (Message m : batch) {
      if (transport == null) {
        // The connection dropped and could not be replaced: the rest waits for a retry.
        out.add(new SendOutcome.Retry("SMTP connection lost", null));
        continue;
      }
      try {
        out.add(send(transport, m));
      } catch (MessagingException lost) {
        connections.discard(transport);
        transport = reconnect();
        if (transport == null) {
          out.add(SmtpErrors.outcome(lost));
          continue;
        }
        try {
          out.add(send(transport, m));
        } catch (MessagingException again) {
          connections.discard(transport);
          transport = null;
          out.add(SmtpErrors.outcome(again));
        }
      }
    }
    if (transport != null) connections.release(transport);
    return out;
  }

  /** Sends one message; throws only when the connection itself failed. */
  private SendOutcome send(Transport transport, Message m) throws MessagingException {
    MimeMessage mime;
    try {
      mime = composer.compose(m, Date.from(clock.instant()));
    } catch (MessagingException e) {
      return SmtpErrors.outcome(e);
    }
    try {
      transport.sendMessage(mime, mime.getAllRecipients());
      String id = mime.getMessageID();
      return new SendOutcome.Accepted(id.substring(1, id.length() - 1));
    } catch (MessagingException e) {
      if (SmtpErrors.connectionLost(e)) throw e;
      return SmtpErrors.outcome(e);
    }
  }

  private Transport reconnect() {
    try {
      return connections.open();
    } catch (MessagingException e) {
      return null;
    }
  }
}
