package dev.herald.delivery;

import java.util.List;

/**
 * The payload of a {@code deliver} job: deliveries of one notification through one channel and
 * provider.
 */
public record DeliveryJob(String channel, String provider, List<String> deliveries) {
  public static final String KIND = "deliver";
}
