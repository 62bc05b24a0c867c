/**
 * A loopback Expo push service: {@code /--/api/v2/push/send} (batches of up to 100, gzip bodies,
 * tickets) and {@code /--/api/v2/push/getReceipts}, with per-token errors, an optional access
 * token, latency and 429s to inject. Written from Expo's published API, not from Herald's client.
 */
package dev.herald.testkit.expo;
