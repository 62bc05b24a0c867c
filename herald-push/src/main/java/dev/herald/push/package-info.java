/** Push provider protocols: Web Push, APNs, FCM and Expo. No server code depends the other way. */
package dev.herald.push;
