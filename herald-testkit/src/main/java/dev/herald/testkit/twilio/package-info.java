/**
 * A loopback Twilio Messages API: basic auth, form-encoded creates validated as Twilio does,
 * per-number errors, 429s and 5xx to inject, and status callbacks signed the way Twilio signs them
 * ({@code X-Twilio-Signature}). Written from Twilio's published API, not from Herald's client.
 */
package dev.herald.testkit.twilio;
