/**
 * A loopback FCM HTTP v1 server: the OAuth2 token endpoint (JWT-bearer grant, RS256 assertions
 * checked against the service account's public key) and {@code messages:send}, with faults, latency
 * and quotas to inject. Written from Google's published protocol, not from Herald's client.
 */
package dev.herald.testkit.fcm;
