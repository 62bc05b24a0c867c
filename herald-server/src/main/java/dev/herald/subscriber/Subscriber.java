package dev.herald.subscriber;

import java.util.Map;

/** A recipient known to one app, addressed by the app's own id for them. */
public record Subscriber(
    String appId,
    String id,
    String email,
    String phone,
    String locale,
    String timezone,
    Map<String, Object> attributes,
    long createdAt,
    long updatedAt) {}
