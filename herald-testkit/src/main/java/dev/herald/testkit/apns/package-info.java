/**
 * A loopback APNs: {@link dev.herald.testkit.apns.ApnsMock} speaks HTTP/2 over TLS and checks
 * provider tokens the way Apple does; {@link dev.herald.testkit.apns.ApnsTeamKey} makes the .p8
 * keys it trusts. Written from Apple's documentation, sharing no code with the client under test.
 */
package dev.herald.testkit.apns;
