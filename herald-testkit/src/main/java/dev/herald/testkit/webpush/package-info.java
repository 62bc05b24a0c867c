/**
 * A loopback Web Push service ({@link dev.herald.testkit.webpush.MockPushService}) that mints
 * browser-like subscriptions, verifies VAPID and decrypts RFC 8291 messages with its own code.
 */
package dev.herald.testkit.webpush;
