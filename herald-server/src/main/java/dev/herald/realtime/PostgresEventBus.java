package dev.herald.realtime;

import dev.herald.store.Database;
import dev.herald.store.PostgresListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The cluster bus over PostgreSQL: messages travel as {@code NOTIFY herald_inbox} payloads, many to
 * a payload, and every node (this one included) {@code LISTEN}s on a connection of its own. Needs
 * nothing beyond the database a cluster already shares. Thread-safe.
 */
public final class PostgresEventBus implements EventBus {
  static final String CHANNEL = "herald_inbox";
  // PostgreSQL refuses payloads of 8000 bytes or more.
  static final int MAX_PAYLOAD_BYTES = 7_999;
  // Every payload of a batch in one statement, so one round trip and one commit per batch.
  private static final String NOTIFY_ALL = "SELECT pg_notify(?, p) FROM unnest(?::text[]) AS p";

  // A send on a connection cut without a reset fails after this instead of hanging.
  private static final int SEND_TIMEOUT_MILLIS = 10_000;

  private final Database db;
  private final PublishQueue outgoing;
  private final PostgresListener incoming;
  private final Receiver receiver = new Receiver();
  private Connection publishing; // used by the publishing thread only

  /**
   * Starts listening at once. Listening and publishing each hold a connection of their own, outside
   * the pools. Throws when PostgreSQL cannot be reached.
   */
  public PostgresEventBus(Database db) {
    this.db = db;
    this.incoming =
        new PostgresListener(
            db::openDedicatedConnection,
            "inbox",
            List.of(CHANNEL),
            new PostgresListener.Handler() {
              @Override
              public void notification(String channel, String payload) {
                receiver.payload(payload);
              }

              @Override
              public void reconnected() {
                receiver.reconnected();
              }
            });
    this.outgoing = new PublishQueue("postgres", PublishQueue.DEFAULT_CAPACITY, this::send);
  }

  @Override
  public void publish(List<BusMessage> messages) {
    outgoing.offer(messages);
  }

  private void send(List<BusMessage> batch) throws SQLException {
    List<String> payloads = BusCodec.pack(batch, MAX_PAYLOAD_BYTES);
    if (payloads.isEmpty()) return;
    try {
      sendPayloads(payloads);
    } catch (SQLException e) {
      // The connection died (a restart, a failover): one more try on a new one.
      closePublishing();
      sendPayloads(payloads);
    }
  }

  private void sendPayloads(List<String> payloads) throws SQLException {
    if (publishing == null) {
      publishing = db.openDedicatedConnection();
      publishing.setNetworkTimeout(Runnable::run, SEND_TIMEOUT_MILLIS);
    }
    try (PreparedStatement s = publishing.prepareStatement(NOTIFY_ALL)) {
      s.setString(1, CHANNEL);
      s.setArray(2, publishing.createArrayOf("text", payloads.toArray()));
      s.execute();
    }
  }

  private void closePublishing() {
    if (publishing == null) return;
    try {
      publishing.close();
    } catch (SQLException e) {
      // already broken
    }
    publishing = null;
  }

  @Override
  public void listen(Listener listener) {
    receiver.listen(listener);
  }

  @Override
  public boolean healthy() {
    return incoming.listening();
  }

  @Override
  public void close() {
    outgoing.close();
    closePublishing();
    incoming.close();
  }
}
