package dev.herald.realtime;

/**
 * One inbox event on the bus. {@code json} is the event exactly as clients receive it; a bus whose
 * messages must stay small may drop it ({@code null}), and gateways then read the event from
 * storage by its {@code seq}.
 */
public record BusMessage(String appId, String subscriberId, long seq, String json) {
  public BusMessage withoutBody() {
    return json == null ? this : new BusMessage(appId, subscriberId, seq, null);
  }
}
