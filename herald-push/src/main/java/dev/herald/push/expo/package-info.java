/**
 * Expo's push service: {@link dev.herald.push.expo.ExpoClient} sends in batches of up to 100
 * (gzip), maps tickets and whole-request errors, and fetches receipts in batches of up to 1000.
 */
package dev.herald.push.expo;
