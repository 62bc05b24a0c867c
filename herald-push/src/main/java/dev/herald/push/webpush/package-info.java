/**
 * Web Push (RFC 8030) with message encryption (RFC 8291, {@code aes128gcm}) and VAPID (RFC 8292).
 *
 * <p>{@link dev.herald.push.webpush.WebPushClient} sends {@link dev.herald.push.PushMessage}s to
 * browser subscriptions ({@link dev.herald.push.webpush.WebPushSubscription}) and answers one
 * {@link dev.herald.push.PushResult} per message. {@link dev.herald.push.webpush.VapidKeys}
 * generates, imports and exports the application server's key pair; {@link
 * dev.herald.push.webpush.WebPushPayload} documents the JSON a service worker receives and tells
 * whether a message fits in a push; {@link dev.herald.push.webpush.CryptoSuite} picks the Amazon
 * Corretto Crypto Provider where it loads, the JDK's providers otherwise.
 */
package dev.herald.push.webpush;
