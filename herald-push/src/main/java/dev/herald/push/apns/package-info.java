/**
 * Apple Push Notification service over HTTP/2 with token (.p8) authentication.
 *
 * <p>{@link dev.herald.push.apns.ApnsClient} sends; {@link dev.herald.push.apns.ApnsPayload} and
 * {@link dev.herald.push.apns.ApnsErrors} are the pure functions behind it (what is sent, what an
 * answer means), usable on their own for acceptance checks and tests.
 */
package dev.herald.push.apns;
