/**
 * Firebase Cloud Messaging, HTTP v1: service-account credentials and OAuth2 access tokens, the
 * {@code messages:send} mapping, error mapping and {@link dev.herald.push.fcm.FcmClient}.
 */
package dev.herald.push.fcm;
