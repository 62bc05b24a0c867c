package dev.herald.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app's connections to its SMTP server, kept open between batches. A batch borrows one
 * connection (opening it when none is idle), sends its messages over it one after another, and
 * gives it back. A connection idle for a while is checked with {@code NOOP} before use, since
 * servers drop idle clients after a few minutes. Thread-safe; a {@link Transport} is used by one
 * thread at a time.
 */
final class SmtpConnections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmtpConnections.class);
  // Enough for the batches one app sends at once (HERALD_PROVIDER_CONCURRENCY per lane).
  static final int MAX_IDLE = 8;
  // Servers may drop idle clients after as little as a minute or so; check before reusing one.
  static final Duration CHECK_AFTER_IDLE = Duration.ofSeconds(30);
  static final int CONNECT_TIMEOUT_MS = 10_000;
  static final int READ_TIMEOUT_MS = 60_000;

  private record Idle(Transport transport, long since) {}

  private final SmtpSettings settings;
  private final Session session;
  private final Clock clock;
  private final Deque<Idle> idle = new ArrayDeque<>();
  private boolean closed;

  SmtpConnections(SmtpSettings settings, SSLContext ssl, Clock clock) {
    this.settings = settings;
    this.session = Session.getInstance(properties(settings, ssl));
    this.clock = clock;
  }

  Session session() {
    return session;
  }

  static Properties properties(SmtpSettings s, SSLContext ssl) {
    Properties p = new Properties();
    p.put("mail.smtp.host", s.host());
    p.put("mail.smtp.port", String.valueOf(s.port()));
    p.put("mail.smtp.auth", String.valueOf(s.authenticates()));
    p.put("mail.smtp.connectiontimeout", String.valueOf(CONNECT_TIMEOUT_MS));
    p.put("mail.smtp.timeout", String.valueOf(READ_TIMEOUT_MS));
    p.put("mail.smtp.quitwait", "false");
    switch (s.tls()) {
      case "tls" -> p.put("mail.smtp.ssl.enable", "true");
      case "starttls" -> {
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
      }
      default -> {}
    }
    // The same trust as every provider (JDK CAs plus HERALD_PROVIDER_CA_FILE), names checked.
    p.put("mail.smtp.ssl.socketFactory", ssl.getSocketFactory());
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    return p;
  }

  /** An open connection: an idle one that still answers, or a new one. */
  Transport borrow() throws MessagingException {
    while (true) {
      Idle i;
      synchronized (this) {
        i = idle.pollFirst();
      }
      if (i == null) return open();
      if (clock.millis() - i.since() < CHECK_AFTER_IDLE.toMillis() || i.transport().isConnected())
        return i.transport();
      discard(i.transport());
    }
  }

  Transport open() throws MessagingException {
    Transport t = session.getTransport("smtp");
    t.connect(settings.host(), settings.port(), settings.username(), settings.password());
    return t;
  }

  /** Gives a healthy connection back for the next batch. */
  void release(Transport t) {
    synchronized (this) {
      if (!closed && idle.size() < MAX_IDLE) {
        idle.offerFirst(new Idle(t, clock.millis()));
        return;
      }
    }
    discard(t);
  }

  void discard(Transport t) {
    try {
      t.close();
    } catch (MessagingException | RuntimeException e) {
      log.debug("Closing an SMTP connection failed", e);
    }
  }

  @Override
  public void close() {
    Deque<Idle> all;
    synchronized (this) {
      closed = true;
      all = new ArrayDeque<>(idle);
      idle.clear();
    }
    all.forEach(i -> discard(i.transport()));
  }
}
