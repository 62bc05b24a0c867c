package dev.herald.testkit.webpush;

/**
 * A request the mock answered with an error, and why.
 *
 * @param subscriptionId the path's subscription id (maybe one the mock never minted)
 * @param status the status it answered
 * @param reason what was wrong, or "injected" for an answer set with {@link MockPushService#answer}
 */
public record Refusal(String subscriptionId, int status, String reason) {}
